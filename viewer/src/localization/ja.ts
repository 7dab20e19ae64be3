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
  'login.expired': 'ログインの有効期限が切れました。もう一度ログインしてください。',

  'console.signedInAs': str`ログイン中：${0}（${1}）`,
  'console.signOut': 'ログアウト',
  'console.title': 'リモートサポート',
  'console.reconnecting': 'サーバーとの接続が切れました。再接続しています…',
  'console.connectHeading': 'PC に接続',
  'console.connectLead':
    '病棟の利用者に「サポートを依頼」ボタンを押してもらい、表示されたセッションコードと PIN を読み上げてもらってください。',
  'console.hostsHeading': 'PC 一覧',

  'connect.code': 'セッションコード',
  'connect.hint': '病棟の利用者が読み上げる 9 桁のセッションコードと 8 桁の PIN です。',
  'connect.pin': 'PIN',
  'connect.invalidPin': '8 桁の PIN を入力してください。',
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
  'screen.connectedViewOnly': str`${0} に接続しました（画面の表示のみ）`,
  'screen.consent': 'PIN を確認しました。病棟の利用者の許可を待っています…',
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
  'reason.auth_failed': 'PIN が受け付けられなかったか、接続を確認できませんでした。病棟の利用者に PIN を確認してください',
  'reason.pin_locked': 'PIN の誤りが多すぎます。病棟の利用者に新しい PIN を発行してもらってください',
  'reason.declined': '病棟の利用者がセッションを許可しませんでした',
  'reason.tampered': '接続を確認できませんでした。新しい PIN を発行してもらい、もう一度お試しください',

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
  'error.storage_full': 'サーバーの保存領域が不足しています。管理者に連絡してください。',
  'error.conflict': 'この名前では別の内容がすでに保存されています。',
  'error.auth_failed':
    'PIN が受け付けられなかったか、接続を確認できませんでした。病棟の利用者に PIN を確認して、もう一度お試しください。',
  'error.pin_locked':
    'このコードでは PIN の誤りが多すぎます。病棟の利用者に「サポートを依頼」をもう一度押してもらい、新しい PIN を受け取ってください。',
  'error.address_denied': 'このネットワークからのアクセスは許可されていません。許可リストへの追加を管理者に依頼してください。',

  // Technician sign-in: one-time code, recovery codes, TOTP enrolment (SPEC AUTH5-AUTH11).
  'login.code': 'ワンタイムコード',
  'login.codeHint': '認証アプリに表示される 6 桁のコードです。初めてログインするときは空欄のままにしてください。',
  'login.useRecovery': '代わりにリカバリーコードを使う',
  'login.recovery': 'リカバリーコード',
  'login.recoveryHint': '2 段階認証の設定時に保存したリカバリーコードの 1 つです。各コードは 1 回だけ使えます。',
  'login.useCode': '代わりに認証アプリのコードを使う',
  'login.badCode': '認証アプリに表示される 6 桁のコードを入力してください。',
  'login.badRecoveryCode': 'リカバリーコードを書かれたとおりに入力してください（例：abcd-efgh-ijkl-mnop）。',
  'login.wrongCredentials': 'ユーザー名、パスワード、またはコードが正しくありません。',
  'login.throttled': str`ログインの失敗が多すぎます。${0} 以降にもう一度お試しください。`,
  'totp.title': '2 段階認証の設定',
  'totp.lead': 'これからはログインのたびに、スマートフォンの認証アプリに表示される 6 桁のコードも必要です。ここで一度だけ設定してください。',
  'totp.scanHeading': '認証アプリで QR コードを読み取ってください',
  'totp.qrAlt': '認証アプリ用の QR コード',
  'totp.manual': 'カメラが使えない場合は、このキーをアプリに手入力してください（時間ベース）：',
  'totp.codesHeading': 'リカバリーコードを保存してください',
  'totp.codesLead':
    'スマートフォンをなくした場合、これらのコードでそれぞれ 1 回ログインできます。書き留めるか印刷して安全に保管してください。再表示はできません。',
  'totp.codesLabel': 'リカバリーコード',
  'totp.confirmHeading': 'アプリに表示されたコードを入力してください',
  'totp.confirmLabel': 'アプリのコード',
  'totp.confirm': '2 段階認証を有効にする',
  'totp.wrongCode': 'コードが一致しません。スマートフォンの時刻が正しいことを確認し、最新のコードを入力してください。',
  'error.totp_required': '先に 2 段階認証を設定してください。',
  'error.client_cert_required':
    'このアカウントはクライアント証明書でのログインが必要です。管理者から受け取った証明書をインストールして、もう一度お試しください。',
};
