/**
 * Japanese text of the ward page, keyed by message id. Written by hand
 * (lit-localize runtime mode); `${0}`, `${1}`, ... stand for the values of
 * the English template in their order there.
 */
import { str } from '@lit/localize';

/** Message id -> Japanese text. */
export const templates = {
  'ward.documentTitle': 'wardlink – リモートサポート',
  'ward.product': 'リモートサポート',
  'ward.thisPc': 'この PC',
  'ward.loading': '読み込み中…',

  'ward.idle': '現在、この PC に接続している人はいません。',
  'ward.waiting': 'サポート担当者の接続を待っています',
  'ward.connecting': '接続中…',
  'ward.live': str`接続中：${0}（${1}）／接続元：${2}`,
  'ward.liveUnknown': '接続中',
  'ward.endedReason': str`セッションは終了しました（${0}）`,
  'ward.ended': 'セッションは終了しました。',

  'ward.helpLead': '「サポートを依頼」を押すとセッションコードが表示されます。電話でサポート担当者に読み上げてください。',
  'ward.getHelp': 'サポートを依頼',
  'ward.codeLabel': 'セッションコード',
  'ward.codeExpiry': str`このコードをサポート担当者に読み上げてください。有効期限は ${0} までです。`,
  'ward.codeRead': 'このコードをサポート担当者に読み上げてください。',
  'ward.liveNotice':
    'サポート担当者はこの画面を見て、マウスとキーボードを操作できます。セッションはいつでも終了できます。',
  'ward.end': 'セッションを終了',

  'ward.brokerOffline': 'サポートサーバーに接続できません。接続が回復すると、再びサポートを依頼できます。',
  'ward.agentLost': 'この PC のサポートプログラムとの通信が途切れました。再接続しています…',
  'ward.helpFailed': 'サポートを依頼できませんでした。少し待ってからもう一度お試しください。',
  'ward.endFailed': 'セッションを終了できませんでした。もう一度お試しください。',

  'ward.reason.ended_by_host': 'あなたが終了',
  'ward.reason.ended_by_technician': 'サポート担当者が終了',
  'ward.reason.host_disconnected': 'この PC の接続が切断',
  'ward.reason.technician_disconnected': 'サポート担当者の接続が切断',
  'ward.reason.expired': 'セッションコードの有効期限切れ',
  'ward.reason.failed': '接続エラー',
};
