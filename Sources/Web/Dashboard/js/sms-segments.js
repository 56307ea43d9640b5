// How many SMS a text costs, as phones and Twilio count it (3GPP TS 23.038): a text of GSM 03.38
// characters goes in 7-bit septets, 160 in one message or 153 per part once split (the rest of
// each part carries the joining header); the extension table's characters (^{}\[~]|€ and form
// feed) take two septets each. One character outside both tables sends the whole text as UCS-2:
// 70 UTF-16 units in one message, 67 per part (an emoji is two units).

const BASIC = new Set([...'@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?'
  + '¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà']);
const EXTENSION = new Set([...'^{}\\[~]|€\f']);

/** `{ encoding: 'gsm' | 'ucs2', units, perPart, parts }` for `text`: `units` are septets (GSM)
 *  or UTF-16 code units (UCS-2); `perPart` is what one part holds at this length. */
export function smsSegments(text) {
  let septets = 0;
  let gsm = true;
  for (const char of text) {
    if (BASIC.has(char)) septets += 1;
    else if (EXTENSION.has(char)) septets += 2;
    else { gsm = false; break; }
  }
  const units = gsm ? septets : text.length;
  const single = gsm ? 160 : 70;
  const split = gsm ? 153 : 67;
  const parts = units === 0 ? 0 : units <= single ? 1 : Math.ceil(units / split);
  return { encoding: gsm ? 'gsm' : 'ucs2', units, perPart: parts > 1 ? split : single, parts };
}
