// Profile pictures: PNG, JPEG or WebP recognised by their magic bytes, at most 150 KB.

export const MAX_PICTURE_BYTES = 150 * 1024;

export type ImageType = 'image/png' | 'image/jpeg' | 'image/webp';

export function detectImageType(bytes: Uint8Array): ImageType | undefined {
  const startsWith = (sig: number[], offset = 0) => sig.every((b, i) => bytes[offset + i] === b);
  if (startsWith([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'image/png';
  if (startsWith([0xff, 0xd8, 0xff])) return 'image/jpeg';
  if (startsWith([0x52, 0x49, 0x46, 0x46]) && startsWith([0x57, 0x45, 0x42, 0x50], 8)) return 'image/webp';
  return undefined;
}

export type PictureCheck = { ok: true; bytes: Uint8Array; contentType: ImageType } | { ok: false; reason: string };

/** Strict base64 (whitespace tolerated) → a supported image within the size limit. */
export function checkPicture(base64: string): PictureCheck {
  const compact = base64.replace(/\s+/g, '');
  if (compact.length === 0 || compact.length % 4 !== 0 || !/^[A-Za-z0-9+/]+={0,2}$/.test(compact)) {
    return { ok: false, reason: 'picture is not valid base64' };
  }
  const bytes = new Uint8Array(Buffer.from(compact, 'base64'));
  if (bytes.length > MAX_PICTURE_BYTES) {
    return { ok: false, reason: `picture is ${bytes.length} bytes (max ${MAX_PICTURE_BYTES})` };
  }
  const contentType = detectImageType(bytes);
  if (!contentType) return { ok: false, reason: 'picture is not PNG, JPEG or WebP' };
  return { ok: true, bytes, contentType };
}
