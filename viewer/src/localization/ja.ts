/**
 * Japanese text of the technician console, keyed by message id. Written by
 * hand (lit-localize runtime mode); `${0}`, `${1}` stand for the values of
 * the English template in their order there.
 */
import { str } from '@lit/localize';

/** Message id -> Japanese text. */
export const templates = {
  'app.documentTitle': 'wardlink – リモートサポート',
  'app.loading': '読み込み中…',
  'app.subtitle': 'リモートサポート コンソール',

  'login.username': 'ユーザー名',
  'login.password': 'パスワード',
  'login.submit': 'ログイン',
  'login.missing': 'ユーザー名とパスワードを入力してください。',
  'login.incorrect': 'ユーザー名またはパスワードが正しくありません。',
  'login.expired': 'ログインの有効期限が切れました。もう一度ログインしてください。',

  'console.signedInAs': str`ログイン中：${0}（${1}）`,
  'console.signOut': 'ログアウト',
  'console.title': 'リモートサポート',
  'console.reconnecting': 'サーバーとの接続が切れました。再接続しています…',
  'console.connectHeading': 'PC に接続',
  'console.connectLead':
    '病棟の利用者に「サポートを依頼」ボタンを押してもらい、表示されたセッションコードを読み上げてもらってください。',
  'console.hostsHeading': 'PC 一覧',

  'connect.code': 'セッションコード',
  'connect.hint': '病棟の利用者が読み上げる 9 桁の数字です。',
  'connect.submit': '接続',
  'connect.invalid': '9 桁のセッションコードを入力してください。',

  'hosts.loading': 'PC 一覧を読み込んでいます…',
  'hosts.empty': '登録されている PC はありません。',
  'hosts.caption': 'PC とその状態',
  'hosts.name': 'PC 名',
  'hosts.status': '状態',
  'hosts.online': 'オンライン',
  'hosts.offline': 'オフライン',

  'screen.title': 'リモートセッション',
  'screen.connecting': '接続中…',
  'screen.connected': str`${0} に接続しました`,
  'screen.ended': str`セッションが終了しました（${0}）`,
  'screen.failed': str`接続できませんでした：${0}`,
  'screen.hostError': str`PC が操作を受け付けませんでした：${0}`,
  'screen.applicationName': str`リモート操作：${0}`,
  'screen.applicationNameNoHost': 'リモート操作',
  'screen.video': 'リモート画面',
  'screen.keyboard': 'リモート PC へのキーボード入力',
  'screen.hint.captured':
    'キーボードとマウスの操作はリモート PC に送られます。Ctrl+Alt+Shift でキーボード操作を解除します。',
  'screen.hint.idle': '画面をクリックする（またはフォーカスを移す）と、リモート PC を操作できます。',
  'screen.end': 'セッションを終了',
  'screen.back': 'PC 一覧に戻る',

  'reason.ended_by_host': '病棟の利用者が終了',
  'reason.ended_by_technician': 'あなたが終了',
  'reason.host_disconnected': 'PC との接続が切断',
  'reason.technician_disconnected': 'このコンソールの接続が切断',
  'reason.expired': '有効期限切れ',
  'reason.failed': '接続エラー',

  'error.bad_message': '要求を処理できませんでした。',
  'error.too_large': '要求が大きすぎます。',
  'error.version_mismatch': 'このコンソールは古いバージョンです。ページを再読み込みしてください。',
  'error.unauthenticated': 'ログインしていません。',
  'error.forbidden': 'この操作は許可されていません。',
  'error.not_found': 'このセッションコードで待機している PC はありません。',
  'error.expired': 'セッションコードの有効期限が切れています。新しいコードを発行してもらってください。',
  'error.host_offline': 'PC がオフラインです。',
  'error.session_busy': 'この PC は別のセッション中です。',
  'error.rate_limited': '試行回数が多すぎます。しばらく待ってからもう一度お試しください。',
  'error.unavailable': 'サーバーに接続できません。もう一度お試しください。',
  'error.internal': 'サーバーでエラーが発生しました。もう一度お試しください。',
};
