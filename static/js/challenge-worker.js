/* The browser's side of a busy-address check (accounts/throttle.py): find a nonce so that
   SHA-256(prefix ":" nonce) starts with `bits` zero bits, where prefix is the first 32 hex digits of
   SHA-256(token). One 64-byte block per try; runs in a worker so the page stays responsive. */
'use strict';

var K = new Uint32Array([
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
  0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
  0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
  0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
  0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
  0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
  0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
  0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2
]);
var IV = [0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19];
var W = new Uint32Array(64);

function compress(H, bytes, offset) {
  var i, t1, t2;
  for (i = 0; i < 16; i++) {
    var j = offset + i * 4;
    W[i] = (bytes[j] << 24) | (bytes[j + 1] << 16) | (bytes[j + 2] << 8) | bytes[j + 3];
  }
  for (i = 16; i < 64; i++) {
    var w15 = W[i - 15], w2 = W[i - 2];
    var s0 = ((w15 >>> 7) | (w15 << 25)) ^ ((w15 >>> 18) | (w15 << 14)) ^ (w15 >>> 3);
    var s1 = ((w2 >>> 17) | (w2 << 15)) ^ ((w2 >>> 19) | (w2 << 13)) ^ (w2 >>> 10);
    W[i] = (W[i - 16] + s0 + W[i - 7] + s1) | 0;
  }
  var a = H[0], b = H[1], c = H[2], d = H[3], e = H[4], f = H[5], g = H[6], h = H[7];
  for (i = 0; i < 64; i++) {
    var S1 = ((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7));
    var ch = (e & f) ^ (~e & g);
    t1 = (h + S1 + ch + K[i] + W[i]) | 0;
    var S0 = ((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10));
    var maj = (a & b) ^ (a & c) ^ (b & c);
    t2 = (S0 + maj) | 0;
    h = g; g = f; f = e; e = (d + t1) | 0; d = c; c = b; b = a; a = (t1 + t2) | 0;
  }
  H[0] = (H[0] + a) | 0; H[1] = (H[1] + b) | 0; H[2] = (H[2] + c) | 0; H[3] = (H[3] + d) | 0;
  H[4] = (H[4] + e) | 0; H[5] = (H[5] + f) | 0; H[6] = (H[6] + g) | 0; H[7] = (H[7] + h) | 0;
}

function ascii(text) {
  var bytes = new Uint8Array(text.length);
  for (var i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i) & 0xff;
  return bytes;
}

function sha256Hex(text) {
  var data = ascii(unescape(encodeURIComponent(text)));
  var length = data.length;
  var blocks = Math.ceil((length + 9) / 64);
  var bytes = new Uint8Array(blocks * 64);
  bytes.set(data);
  bytes[length] = 0x80;
  var bitLength = length * 8;
  bytes[bytes.length - 4] = (bitLength >>> 24) & 0xff;
  bytes[bytes.length - 3] = (bitLength >>> 16) & 0xff;
  bytes[bytes.length - 2] = (bitLength >>> 8) & 0xff;
  bytes[bytes.length - 1] = bitLength & 0xff;
  var H = IV.slice();
  for (var b = 0; b < blocks; b++) compress(H, bytes, b * 64);
  var hex = '';
  for (var i = 0; i < 8; i++) hex += ('00000000' + (H[i] >>> 0).toString(16)).slice(-8);
  return hex;
}

function solve(token, bits) {
  var head = ascii(sha256Hex(token).slice(0, 32) + ':');
  var block = new Uint8Array(64);
  block.set(head);
  var H = new Int32Array(8);
  var limit = bits >= 32 ? 0 : (0xffffffff >>> bits);
  for (var counter = 0; ; counter++) {
    var nonce = counter.toString(16);
    var length = head.length + nonce.length;
    for (var i = 0; i < nonce.length; i++) block[head.length + i] = nonce.charCodeAt(i);
    block[length] = 0x80;
    for (i = length + 1; i < 62; i++) block[i] = 0;
    var bitLength = length * 8;
    block[62] = (bitLength >>> 8) & 0xff;
    block[63] = bitLength & 0xff;
    for (i = 0; i < 8; i++) H[i] = IV[i];
    compress(H, block, 0);
    if ((H[0] >>> 0) <= limit && (bits < 32 || H[0] === 0)) return nonce;
  }
}

self.onmessage = function (event) {
  self.postMessage({ nonce: solve(String(event.data.token), Number(event.data.bits)) });
};
