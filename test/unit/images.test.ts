// Profile pictures: magic bytes and the 150 KB limit.
import { describe, expect, it } from 'vitest';
import { checkPicture, detectImageType, MAX_PICTURE_BYTES } from '../../lib/domain/images.js';
import { DEFAULT_PICTURE_BASE64 } from '../../lib/domain/default-picture.js';

const b64 = (bytes: number[], padTo = 16) => Buffer.from([...bytes, ...Array(Math.max(0, padTo - bytes.length)).fill(0)]).toString('base64');
const PNG = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const JPEG = [0xff, 0xd8, 0xff, 0xe0];
const WEBP = [0x52, 0x49, 0x46, 0x46, 1, 2, 3, 4, 0x57, 0x45, 0x42, 0x50];

describe('pictures', () => {
  it.each([
    ['PNG', PNG, 'image/png'],
    ['JPEG', JPEG, 'image/jpeg'],
    ['WebP', WEBP, 'image/webp'],
  ])('accepts %s', (_, bytes, type) => {
    expect(checkPicture(b64(bytes))).toMatchObject({ ok: true, contentType: type });
  });

  it.each([
    ['GIF', b64([0x47, 0x49, 0x46, 0x38, 0x39, 0x61]), 'not PNG'],
    ['RIFF that is not WebP', b64([0x52, 0x49, 0x46, 0x46, 0, 0, 0, 0, 0x57, 0x41, 0x56, 0x45]), 'not PNG'],
    ['text', 'aGVsbG8gd29ybGQh', 'not PNG'],
    ['invalid base64', '###', 'base64'],
    ['empty', '', 'base64'],
  ])('rejects %s', (_, value, reason) => {
    const result = checkPicture(value);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.reason).toContain(reason);
  });

  it('rejects more than 150 KB and accepts exactly 150 KB', () => {
    const exact = Buffer.alloc(MAX_PICTURE_BYTES);
    Buffer.from(PNG).copy(exact);
    expect(checkPicture(exact.toString('base64')).ok).toBe(true);
    const over = Buffer.alloc(MAX_PICTURE_BYTES + 1);
    Buffer.from(PNG).copy(over);
    expect(checkPicture(over.toString('base64'))).toMatchObject({ ok: false });
  });

  it('tolerates line breaks in base64', () => {
    const value = b64(PNG, 60).replace(/(.{20})/g, '$1\n');
    expect(checkPicture(value).ok).toBe(true);
  });

  it('ships a default picture that passes its own check', () => {
    expect(detectImageType(Buffer.from(DEFAULT_PICTURE_BASE64, 'base64'))).toBe('image/png');
  });
});
