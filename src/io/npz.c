/* NumPy .npz files: a zip archive of .npy members, one per array.
 *
 * Reading goes through the central directory at the end of the archive
 * (with the zip64 extensions NumPy's writer can use), then each member's
 * local header, then its data: stored (method 0) or deflated (method 8, raw
 * deflate through zlib).  Every member is checked against its CRC-32 and
 * parsed as an in-memory .npy.  Errors are ValueError, as MLX raises them
 * for archives Python's zipfile cannot open.
 *
 * Writing produces a plain zip (no zip64: members and archives stay below
 * 4 GiB) with members stored (savez) or deflated (savez_compressed). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "io.h"

#define SIG_LOCAL 0x04034b50u
#define SIG_CENTRAL 0x02014b50u
#define SIG_END 0x06054b50u
#define SIG_END64 0x06064b50u
#define SIG_LOC64 0x07064b50u

static uint16_t rd16(const unsigned char* p) { return (uint16_t)(p[0] | p[1] << 8); }
static uint32_t rd32(const unsigned char* p) {
  return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}
static uint64_t rd64(const unsigned char* p) { return rd32(p) | (uint64_t)rd32(p + 4) << 32; }

static int bad_zip(void) {
  return mx_error(MX_ERR_VALUE,
                  "[load_npz] Input must be a zip file or a file-like object that can be "
                  "opened with zipfile.ZipFile");
}

static int corrupt(const char* name, const char* why) {
  return mx_error(MX_ERR_VALUE, "[load_npz] Member '%s' of the archive is corrupt: %s.", name,
                  why);
}

/* Inflates raw-deflate `src` into exactly `dst_n` bytes. */
static int inflate_all(const unsigned char* src, size_t src_n, unsigned char* dst, size_t dst_n,
                       const char* name) {
  z_stream z;
  memset(&z, 0, sizeof z);
  if (inflateInit2(&z, -MAX_WBITS) != Z_OK) return mx_error(MX_ERR_MEMORY, "[load_npz] zlib failed.");
  size_t in_done = 0, out_done = 0;
  int ok = 0;
  /* zlib counts in uInt, so members over 4 GiB go through in pieces. */
  for (;;) {
    if (z.avail_in == 0 && in_done < src_n) {
      size_t k = src_n - in_done > (1u << 30) ? (1u << 30) : src_n - in_done;
      z.next_in = (unsigned char*)src + in_done;
      z.avail_in = (uInt)k;
      in_done += k;
    }
    if (z.avail_out == 0 && out_done < dst_n) {
      size_t k = dst_n - out_done > (1u << 30) ? (1u << 30) : dst_n - out_done;
      z.next_out = dst + out_done;
      z.avail_out = (uInt)k;
      out_done += k;
    }
    int zr = inflate(&z, Z_NO_FLUSH);
    if (zr == Z_STREAM_END) {
      ok = out_done - z.avail_out == dst_n;
      break;
    }
    if (zr == Z_OK) continue;
    bool can_feed = (z.avail_in == 0 && in_done < src_n) || (z.avail_out == 0 && out_done < dst_n);
    if (zr == Z_BUF_ERROR && can_feed) continue;
    break;
  }
  inflateEnd(&z);
  if (!ok) return corrupt(name, "bad deflate data or a size that differs from the recorded one");
  return 0;
}

/* Finds the end-of-central-directory record; fills the directory's offset,
 * size and entry count (zip64 where the archive uses it). */
static int find_directory(const mx_io_reader* r, uint64_t* cd_off, uint64_t* cd_size,
                          uint64_t* count) {
  if (r->size < 22) return bad_zip();
  /* The record is 22 bytes plus a comment of at most 65535. */
  uint64_t tail_n = r->size < 22 + 65535 ? r->size : 22 + 65535;
  unsigned char* tail = malloc((size_t)tail_n);
  if (!tail) return mx_error(MX_ERR_MEMORY, "[load_npz] Out of memory.");
  uint64_t tail_off = r->size - tail_n;
  if (mx__io_read(r, "load_npz", tail, (size_t)tail_n, tail_off) != 0) {
    free(tail);
    return -1;
  }
  int64_t at = -1;
  for (int64_t i = (int64_t)tail_n - 22; i >= 0; i--)
    if (rd32(tail + i) == SIG_END) {
      at = i;
      break;
    }
  if (at < 0) {
    free(tail);
    return bad_zip();
  }
  const unsigned char* e = tail + at;
  *count = rd16(e + 10);
  *cd_size = rd32(e + 12);
  *cd_off = rd32(e + 16);
  uint64_t end_pos = tail_off + (uint64_t)at;
  free(tail);
  if (*count == 0xffff || *cd_size == 0xffffffffu || *cd_off == 0xffffffffu) {
    /* zip64: a locator sits just before the record and points at the zip64
     * end record holding the real values. */
    unsigned char loc[20], e64[56];
    if (end_pos < 20 || mx__io_read(r, "load_npz", loc, 20, end_pos - 20) != 0 ||
        rd32(loc) != SIG_LOC64)
      return bad_zip();
    uint64_t e64_off = rd64(loc + 8);
    if (e64_off > r->size || r->size - e64_off < 56 ||
        mx__io_read(r, "load_npz", e64, 56, e64_off) != 0 || rd32(e64) != SIG_END64)
      return bad_zip();
    *count = rd64(e64 + 32);
    *cd_size = rd64(e64 + 40);
    *cd_off = rd64(e64 + 48);
  }
  if (*cd_off > r->size || *cd_size > r->size - *cd_off) return bad_zip();
  /* Each central entry takes at least 46 bytes. */
  if (*count > *cd_size / 46) return bad_zip();
  return 0;
}

/* Applies a zip64 extra field to the sizes and offset that overflowed. */
static void zip64_extra(const unsigned char* extra, size_t n, uint64_t* usize, uint64_t* csize,
                        uint64_t* off) {
  size_t i = 0;
  while (i + 4 <= n) {
    uint16_t id = rd16(extra + i), len = rd16(extra + i + 2);
    if (len > n - i - 4) return;
    if (id == 1) {
      const unsigned char* p = extra + i + 4;
      size_t k = 0;
      if (*usize == 0xffffffffu && k + 8 <= len) *usize = rd64(p + k), k += 8;
      if (*csize == 0xffffffffu && k + 8 <= len) *csize = rd64(p + k), k += 8;
      if (off && *off == 0xffffffffu && k + 8 <= len) *off = rd64(p + k), k += 8;
      return;
    }
    i += 4 + len;
  }
}

static int load_member(const mx_io_reader* r, const char* name, uint16_t method, uint32_t crc,
                       uint64_t csize, uint64_t usize, uint64_t local_off, mx_io_arrays* out) {
  unsigned char lh[30];
  if (local_off > r->size || r->size - local_off < 30 ||
      mx__io_read(r, "load_npz", lh, 30, local_off) != 0 || rd32(lh) != SIG_LOCAL)
    return corrupt(name, "bad local header");
  uint64_t data_off = local_off + 30 + rd16(lh + 26) + rd16(lh + 28);
  if (data_off > r->size || csize > r->size - data_off)
    return corrupt(name, "the data extends past the end of the file");
  if (method == 0 && csize != usize) return corrupt(name, "stored sizes differ");
  if (method != 0 && method != 8)
    return mx_error(MX_ERR_VALUE, "[load_npz] Member '%s' uses compression method %u; only "
                    "stored and deflated members are supported.", name, method);
  /* A deflated member expands at most ~1032x; refuse claims beyond that
   * before allocating for them. */
  if (method == 8 && usize / 1032 > csize + 1)
    return corrupt(name, "the recorded size is impossible for its compressed size");
  unsigned char* comp = malloc(csize ? (size_t)csize : 1);
  unsigned char* data = method == 0 ? comp : malloc(usize ? (size_t)usize : 1);
  int rc = -1;
  if (!comp || !data) {
    mx_error(MX_ERR_MEMORY, "[load_npz] Out of memory.");
    goto done;
  }
  if (mx__io_read(r, "load_npz", comp, (size_t)csize, data_off) != 0) goto done;
  if (method == 8 && inflate_all(comp, (size_t)csize, data, (size_t)usize, name) != 0) goto done;
  uLong c = crc32(0L, Z_NULL, 0);
  for (uint64_t k = 0; k < usize;) {
    uInt step = usize - k > (1u << 30) ? (1u << 30) : (uInt)(usize - k);
    c = crc32(c, data + k, step);
    k += step;
  }
  if ((uint32_t)c != crc) {
    corrupt(name, "CRC-32 mismatch");
    goto done;
  }
  mx_io_reader mr = mx_io_reader_memory(data, (size_t)usize, name);
  mx_array* a = mx_load_npy(&mr);
  if (!a) {
    /* Keep zipfile's ValueError flavour for everything inside the archive. */
    char msg[512];
    snprintf(msg, sizeof msg, "%s", mx_error_message());
    mx_error(MX_ERR_VALUE, "[load_npz] Member '%s': %s", name, msg);
    goto done;
  }
  /* NumPy names members "<key>.npy"; the key is the name without it. */
  size_t nl = strlen(name);
  char* key = mx__io_strndup(name, nl >= 4 && strcmp(name + nl - 4, ".npy") == 0 ? nl - 4 : nl);
  if (!key) {
    mx_array_release(a);
    goto done;
  }
  rc = mx_io_arrays_push_owned(out, key, a);
  free(key);
done:
  if (data != comp) free(data);
  free(comp);
  return rc;
}

int mx_load_npz(const mx_io_reader* r, mx_io_arrays* out) {
  uint64_t cd_off = 0, cd_size = 0, count = 0;
  if (find_directory(r, &cd_off, &cd_size, &count) != 0) return -1;
  unsigned char* cd = malloc(cd_size ? (size_t)cd_size : 1);
  if (!cd) return mx_error(MX_ERR_MEMORY, "[load_npz] Out of memory.");
  if (mx__io_read(r, "load_npz", cd, (size_t)cd_size, cd_off) != 0) goto fail;
  uint64_t pos = 0;
  for (uint64_t i = 0; i < count; i++) {
    if (cd_size - pos < 46 || rd32(cd + pos) != SIG_CENTRAL) {
      bad_zip();
      goto fail;
    }
    const unsigned char* e = cd + pos;
    uint16_t flags = rd16(e + 8), method = rd16(e + 10);
    uint32_t crc = rd32(e + 16);
    uint64_t csize = rd32(e + 20), usize = rd32(e + 24), off = rd32(e + 42);
    uint64_t nlen = rd16(e + 28), xlen = rd16(e + 30), clen = rd16(e + 32);
    if (cd_size - pos - 46 < nlen + xlen + clen) {
      bad_zip();
      goto fail;
    }
    zip64_extra(e + 46 + nlen, (size_t)xlen, &usize, &csize, &off);
    char* name = mx__io_strndup((const char*)e + 46, (size_t)nlen);
    if (!name) goto fail;
    int rc = 0;
    if (flags & 1)
      rc = mx_error(MX_ERR_VALUE, "[load_npz] Member '%s' is encrypted.", name);
    else if (nlen == 0 || name[nlen - 1] != '/')
      rc = load_member(r, name, method, crc, csize, usize, off, out);
    free(name);
    if (rc != 0) goto fail;
    pos += 46 + nlen + xlen + clen;
  }
  free(cd);
  return 0;
fail:
  free(cd);
  mx_io_arrays_free(out);
  return -1;
}

/* --- writing ------------------------------------------------------------------ */

static void wr16(unsigned char* p, uint32_t v) {
  p[0] = (unsigned char)v;
  p[1] = (unsigned char)(v >> 8);
}
static void wr32(unsigned char* p, uint32_t v) {
  wr16(p, v & 0xffff);
  wr16(p + 2, v >> 16);
}

typedef struct zentry {
  uint32_t crc, csize, usize, offset;
  uint16_t method;
} zentry;

/* Deflates `src` into a fresh buffer (raw deflate, default level). */
static int deflate_all(const mx_io_membuf* src, mx_io_membuf* dst) {
  z_stream z;
  memset(&z, 0, sizeof z);
  if (deflateInit2(&z, Z_DEFAULT_COMPRESSION, Z_DEFLATED, -MAX_WBITS, 8, Z_DEFAULT_STRATEGY) !=
      Z_OK)
    return mx_error(MX_ERR_MEMORY, "[savez_compressed] zlib failed.");
  size_t bound = deflateBound(&z, (uLong)src->size);
  dst->data = malloc(bound ? bound : 1);
  if (!dst->data) {
    deflateEnd(&z);
    return mx_error(MX_ERR_MEMORY, "[savez_compressed] Out of memory.");
  }
  z.next_in = src->data;
  z.avail_in = (uInt)src->size;
  z.next_out = dst->data;
  z.avail_out = (uInt)bound;
  int zr = deflate(&z, Z_FINISH);
  dst->size = bound - z.avail_out;
  deflateEnd(&z);
  if (zr != Z_STREAM_END) return mx_error(MX_ERR_RUNTIME, "[savez_compressed] zlib failed.");
  return 0;
}

int mx_save_npz(const mx_io_writer* w, const mx_io_arrays* arrays, bool compressed) {
  const char* fn = compressed ? "savez_compressed" : "savez";
  if (arrays->n > 0xfffe) return mx_error(MX_ERR_VALUE, "[%s] Too many arrays for a zip.", fn);
  zentry* ents = calloc((size_t)arrays->n + 1, sizeof *ents);
  if (!ents) return mx_error(MX_ERR_MEMORY, "[%s] Out of memory.", fn);
  uint64_t pos = 0;
  int rc = 0;
  for (int i = 0; i < arrays->n && rc == 0; i++) {
    mx_io_membuf npy = {0}, comp = {0};
    mx_io_writer mw = mx_io_writer_memory(&npy, arrays->names[i]);
    rc = mx_save_npy(&mw, arrays->arrays[i]);
    const mx_io_membuf* body = &npy;
    if (rc == 0 && npy.size > 0xfffffffeu)
      rc = mx_error(MX_ERR_VALUE, "[%s] Array '%s' is too large for a zip member (4 GiB).", fn,
                    arrays->names[i]);
    if (rc == 0 && compressed) {
      rc = deflate_all(&npy, &comp);
      body = &comp;
    }
    size_t nlen = strlen(arrays->names[i]) + 4;
    if (rc == 0 && (nlen > 0xffff || pos + 30 + nlen + body->size > 0xfffffffeu))
      rc = mx_error(MX_ERR_VALUE, "[%s] The archive would exceed 4 GiB.", fn);
    if (rc == 0) {
      zentry* e = &ents[i];
      e->crc = (uint32_t)crc32(crc32(0L, Z_NULL, 0), npy.data, (uInt)npy.size);
      e->usize = (uint32_t)npy.size;
      e->csize = (uint32_t)body->size;
      e->method = compressed ? 8 : 0;
      e->offset = (uint32_t)pos;
      unsigned char lh[30] = {0};
      wr32(lh, SIG_LOCAL);
      wr16(lh + 4, 20);                /* version needed: 2.0 */
      wr16(lh + 8, e->method);
      wr16(lh + 12, (1 << 5) | 1);     /* 1980-01-01, the zip epoch */
      wr32(lh + 14, e->crc);
      wr32(lh + 18, e->csize);
      wr32(lh + 22, e->usize);
      wr16(lh + 26, (uint32_t)nlen);
      rc = mx__io_write(w, lh, 30);
      if (rc == 0) rc = mx__io_write(w, arrays->names[i], nlen - 4);
      if (rc == 0) rc = mx__io_write(w, ".npy", 4);
      if (rc == 0) rc = mx__io_write(w, body->data, body->size);
      pos += 30 + nlen + body->size;
    }
    free(npy.data);
    free(comp.data);
  }
  uint64_t cd_start = pos;
  for (int i = 0; i < arrays->n && rc == 0; i++) {
    const zentry* e = &ents[i];
    size_t nlen = strlen(arrays->names[i]) + 4;
    unsigned char ch[46] = {0};
    wr32(ch, SIG_CENTRAL);
    wr16(ch + 4, 20);
    wr16(ch + 6, 20);
    wr16(ch + 10, e->method);
    wr16(ch + 14, (1 << 5) | 1);
    wr32(ch + 16, e->crc);
    wr32(ch + 20, e->csize);
    wr32(ch + 24, e->usize);
    wr16(ch + 28, (uint32_t)nlen);
    wr32(ch + 38, 0644u << 16); /* external attributes: a regular file */
    wr32(ch + 42, e->offset);
    rc = mx__io_write(w, ch, 46);
    if (rc == 0) rc = mx__io_write(w, arrays->names[i], nlen - 4);
    if (rc == 0) rc = mx__io_write(w, ".npy", 4);
    pos += 46 + nlen;
  }
  if (rc == 0 && pos > 0xfffffffeu)
    rc = mx_error(MX_ERR_VALUE, "[%s] The archive would exceed 4 GiB.", fn);
  if (rc == 0) {
    unsigned char end[22] = {0};
    wr32(end, SIG_END);
    wr16(end + 8, (uint32_t)arrays->n);
    wr16(end + 10, (uint32_t)arrays->n);
    wr32(end + 12, (uint32_t)(pos - cd_start));
    wr32(end + 16, (uint32_t)cd_start);
    rc = mx__io_write(w, end, 22);
  }
  free(ents);
  return rc;
}
