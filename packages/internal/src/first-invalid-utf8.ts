/**
 * Offset and length of the first ill-formed sequence (its lead byte and the
 * continuation bytes that fitted before one did not), by the rules the
 * WHATWG decoder follows: no overlong forms, no surrogates, nothing above
 * U+10FFFF, no sequence cut short. Run only after the native decoder has
 * refused the bytes, to say where; `{ offset: bytes.length, length: 0 }`
 * when every sequence is well formed.
 */
export function firstInvalidUtf8(bytes: Uint8Array): { offset: number; length: number } {
  let i = 0;
  while (i < bytes.length) {
    const lead = bytes[i] as number;
    if (lead < 0x80) {
      i += 1;
      continue;
    }
    let length: number;
    let low = 0x80;
    let high = 0xbf;
    if (lead >= 0xc2 && lead <= 0xdf) length = 2;
    else if (lead >= 0xe0 && lead <= 0xef) {
      length = 3;
      if (lead === 0xe0) low = 0xa0;
      if (lead === 0xed) high = 0x9f;
    } else if (lead >= 0xf0 && lead <= 0xf4) {
      length = 4;
      if (lead === 0xf0) low = 0x90;
      if (lead === 0xf4) high = 0x8f;
    } else return { offset: i, length: 1 };
    for (let k = 1; k < length; k += 1) {
      const next = bytes[i + k];
      if (next === undefined || next < (k === 1 ? low : 0x80) || next > (k === 1 ? high : 0xbf)) return { offset: i, length: k };
    }
    i += length;
  }
  return { offset: bytes.length, length: 0 };
}
