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
  'ward.starting': '開始しています…',
  'ward.consent': 'サポート担当者がこの PC への接続を求めています。',
  'ward.live': str`接続中：${0}（${1}）／接続元：${2}`,
  'ward.liveUnknown': '接続中',
  'ward.endedReason': str`セッションは終了しました（${0}）`,
  'ward.ended': 'セッションは終了しました。',
  'ward.locked': '安全のため、リモートサポートを停止しています。',

  'ward.helpLead': '「サポートを依頼」を押すとセッションコードが表示されます。電話でサポート担当者に読み上げてください。',
  'ward.getHelp': 'サポートを依頼',
  'ward.codeLabel': 'セッションコード',
  'ward.codeExpiry': str`このコードをサポート担当者に読み上げてください。有効期限は ${0} までです。`,
  'ward.codeRead': 'このコードをサポート担当者に読み上げてください。',
  'ward.pinLabel': 'PIN',
  'ward.pinSecret':
    'セッションコードと PIN は、あなたが電話したサポート担当者にだけ伝えてください。それ以外に IT 部門がこれらを尋ねることはありません。',
  'ward.pinExpiry': str`セッションコードと PIN の有効期限は ${0} までです。`,
  'ward.attemptsLeft': str`間違った PIN が入力されました。残り ${0} 回です。`,
  'ward.attemptsLeftOne': str`間違った PIN が入力されました。残り ${0} 回です。`,
  'ward.liveNotice':
    'サポート担当者はこの画面を見て、マウスとキーボードを操作できます。セッションはいつでも終了できます。',
  'ward.end': 'セッションを終了',

  'ward.consent.heading': 'このサポート担当者の接続を許可しますか？',
  'ward.consent.technician': 'サポート担当者',
  'ward.consent.organisation': '所属',
  'ward.consent.from': '接続元',
  'ward.consent.asks': 'サポート担当者が求めている操作：',
  'ward.consent.untick': '許可しない項目はチェックを外してください。',
  'ward.consent.needsView': str`「${0}」の許可が必要です。`,
  'ward.consent.noneTicked': '許可する項目を 1 つ以上選ぶか、「拒否」を押してください。',
  'ward.consent.allow': '許可',
  'ward.consent.decline': '拒否',

  'ward.permission.view': '画面を見る',
  'ward.permission.control': 'マウスとキーボードを操作する',
  'ward.permission.file_to_host': 'この PC にファイルを送る',
  'ward.permission.file_from_host': 'この PC からファイルを取り出す',
  'ward.permission.print': 'この PC から印刷する',
  'ward.permission.clipboard_to_host': 'この PC に貼り付ける（クリップボード）',
  'ward.permission.clipboard_from_host': 'この PC でコピーした内容を受け取る（クリップボード）',
  'ward.permission.chat': 'チャットでやり取りする',

  'ward.recording.on': 'このセッションは録画されます。',
  'ward.recording.off': 'このセッションは録画されません。',
  'ward.live.may': 'サポート担当者に許可していること：',
  'ward.live.unattended': 'この PC は、確認なしでサポートセッションを受け入れるよう管理者が設定しています。',
  'ward.live.endAnyTime': 'セッションはいつでも終了できます。',

  'ward.locked.title': 'セキュリティ警告',
  'ward.locked.text': str`誰かが間違った PIN を ${0} 回入力しました。この PIN はもう使えません。サポート担当者からの接続に心当たりがない場合は、IT 部門に連絡してください。`,
  'ward.locked.at': str`発生時刻：${0}`,
  'ward.locked.acknowledge': '確認しました',

  'ward.brokerOffline': 'サポートサーバーに接続できません。接続が回復すると、再びサポートを依頼できます。',
  'ward.agentLost': 'この PC のサポートプログラムとの通信が途切れました。再接続しています…',
  'ward.helpFailed': 'サポートを依頼できませんでした。少し待ってからもう一度お試しください。',
  'ward.endFailed': 'セッションを終了できませんでした。もう一度お試しください。',
  'ward.consentFailed': '回答を送信できませんでした。接続の依頼がまだ表示されている場合は、もう一度お試しください。',
  'ward.ackFailed': '確認を送信できませんでした。もう一度お試しください。',

  'ward.reason.ended_by_host': 'あなたが終了',
  'ward.reason.ended_by_technician': 'サポート担当者が終了',
  'ward.reason.host_disconnected': 'この PC の接続が切断',
  'ward.reason.technician_disconnected': 'サポート担当者の接続が切断',
  'ward.reason.expired': 'セッションコードの有効期限切れ',
  'ward.reason.failed': '接続エラー',
  'ward.reason.auth_failed': 'サポート担当者の PIN が受け付けられませんでした',
  'ward.reason.pin_locked': 'PIN の誤入力が多すぎました',
  'ward.reason.declined': 'あなたが拒否',
  'ward.reason.tampered': '接続を確認できなかったため、安全のために停止',
  'ward.live.frozen': '一時停止中: 録画が止まったため、録画が再開するまで技術者はこの PC を見ることも操作することもできません。',
  'ward.reason.recording_failed': 'セッションを録画できなかったため停止',
};
