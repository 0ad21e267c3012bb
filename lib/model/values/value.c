/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* What every value shares: the table of types, the checks every assignment gets before its type's
 * parser, the shape of an error message, and the list of items. */
#include <assert.h>
#include <stdint.h>
#include <stdio.h>

#include "escape.h"
#include "internal.h"

const OciValueType *const oci_value_types[_OCI_TYPE_MAX] = {
        [OCI_TYPE_STRING] = &value_type_string,
        [OCI_TYPE_BOOL] = &value_type_bool,
        [OCI_TYPE_CHOICE] = &value_type_choice,
        [OCI_TYPE_WORDS] = &value_type_words,
        [OCI_TYPE_KEYVALUE] = &value_type_keyvalue,
        [OCI_TYPE_PATH] = &value_type_path,
        [OCI_TYPE_PORT] = &value_type_port,
        [OCI_TYPE_PORT_RANGE] = &value_type_port_range,
        [OCI_TYPE_VOLUME] = &value_type_volume,
        [OCI_TYPE_MOUNTPOINT] = &value_type_mountpoint,
        [OCI_TYPE_CAPS] = &value_type_caps,
        [OCI_TYPE_DEVICE] = &value_type_device,
        [OCI_TYPE_NAME] = &value_type_name,
        [OCI_TYPE_UNITS] = &value_type_units,
        [OCI_TYPE_REFS] = &value_type_refs,
        [OCI_TYPE_ADDRESS] = &value_type_address,
        [OCI_TYPE_ADDRESS_PREFIX] = &value_type_address_prefix,
        [OCI_TYPE_INT] = &value_type_int,
        [OCI_TYPE_SIZE] = &value_type_size,
        [OCI_TYPE_MOUNT] = &oci_value_mount,
        [OCI_TYPE_UID] = &value_type_uid,
        [OCI_TYPE_GID] = &value_type_gid,
        [OCI_TYPE_DURATION] = &value_type_duration,
        [OCI_TYPE_TIMESPAN] = &value_type_timespan,
        [OCI_TYPE_NETWORK] = &value_type_network,
        [OCI_TYPE_OWNER] = &value_type_owner,
        [OCI_TYPE_IMAGE] = &value_type_image,
        [OCI_TYPE_DIR_NAME] = &value_type_dir_name,
        [OCI_TYPE_AUTO_UPDATE] = &value_type_auto_update,
        [OCI_TYPE_VETH] = &value_type_veth,
};

_printf_(4, 0) static int parse_diag(OciParse *p, int level, bool quote, const char *fmt, va_list ap) {
        const char *key = oci_str(value_option(p)->key);
        StrBuf b = {};
        _cleanup_free_ char *msg = xvasprintf(fmt, ap);
        strbuf_printf(&b, "%s=%s", key, msg ? msg : " is invalid");
        if (quote && !isempty(p->value) && !(value_option(p)->flags & OCI_OPT_CONFIDENTIAL)) {
                strbuf_puts(&b, " (value '");
                oci_diag_quote(&b, p->value, 200);
                strbuf_puts(&b, "')");
        }
        oci_diag_at(p->sink, level, p->loc.file, p->loc.line, p->loc.column, key, "%s", b.s ? b.s : "invalid value");
        strbuf_done(&b);
        return level == LOG_ERR ? -EINVAL : 0;
}

/* Report "KEY=<msg> (value '...')" at the assignment and return -EINVAL; a secret row's value is
 * never shown. */
int oci_parse_error(OciParse *p, const char *fmt, ...) {
        assert(p);
        va_list ap;
        va_start(ap, fmt);
        int r = parse_diag(p, LOG_ERR, true, fmt, ap);
        va_end(ap);
        return r;
}

/* Report "KEY=<msg> (value '...')" at the assignment as a warning; returns 0. */
int oci_parse_warning(OciParse *p, const char *fmt, ...) {
        assert(p);
        va_list ap;
        va_start(ap, fmt);
        int r = parse_diag(p, LOG_WARNING, true, fmt, ap);
        va_end(ap);
        return r;
}

/* Report "KEY=<msg>" at the assignment, without the value, and return -EINVAL. */
int oci_parse_error_bare(OciParse *p, const char *fmt, ...) {
        assert(p);
        va_list ap;
        va_start(ap, fmt);
        int r = parse_diag(p, LOG_ERR, false, fmt, ap);
        va_end(ap);
        return r;
}

/* What scan() looks for in an assignment's bytes: a control character (a tab is the one a one-line
 * value may hold), a line break, a '%', which starts a specifier, what Quadlet's splitting reads,
 * a quote or a backslash, and a byte that is not ASCII. */
enum {
        SCAN_CONTROL = 1 << 0,
        SCAN_BREAK = 1 << 1,
        SCAN_PERCENT = 1 << 2,
        SCAN_QUOTE = 1 << 3,
        SCAN_HIGH = 1 << 4,
};
static const unsigned char scan_class[256] = {
        [1 ... '\t' - 1] = SCAN_CONTROL,
        ['\n'] = SCAN_CONTROL | SCAN_BREAK,
        ['\n' + 1 ... '\r' - 1] = SCAN_CONTROL,
        ['\r'] = SCAN_CONTROL | SCAN_BREAK,
        ['\r' + 1 ... 0x1f] = SCAN_CONTROL,
        [0x7f] = SCAN_CONTROL,
        ['%'] = SCAN_PERCENT,
        ['"'] = SCAN_QUOTE,
        ['\''] = SCAN_QUOTE,
        ['\\'] = SCAN_QUOTE,
        [0x80 ... 0xff] = SCAN_HIGH,
};

/* Sixteen bytes at a time (GCC's and clang's vectors: SSE2 instructions on x86-64): is any of them
 * in a class? */
typedef unsigned char ScanBlock __attribute__((vector_size(16)));
static bool block_plain(ScanBlock x) {
        ScanBlock hit = (ScanBlock) ((x < 0x20) | (x == 0x7f) | (x == '%') | (x == '"') | (x == '\'') | (x == '\\') | (x >= 0x80));
        uint64_t h[2];
        memcpy(h, &hit, sizeof(h));
        return !(h[0] | h[1]);
}

static unsigned scan_bytes(const char *s, size_t n) {
        unsigned seen = 0;
        for (size_t i = 0; i < n; i++)
                seen |= scan_class[(unsigned char) s[i]];
        return seen;
}

/* The classes of the n bytes at s; sixteen at a time while none of them is in one. */
static unsigned scan(const char *s, size_t n) {
        unsigned seen = 0;
        ScanBlock x;
        size_t i = 0;
        for (; i + sizeof(x) <= n; i += sizeof(x)) {
                memcpy(&x, s + i, sizeof(x));
                if (!block_plain(x))
                        seen |= scan_bytes(s + i, sizeof(x));
        }
        if (i == n)
                return seen;
        if (n >= sizeof(x))
                /* the last sixteen bytes, some of them seen already */
                memcpy(&x, s + n - sizeof(x), sizeof(x));
        else {
                /* the few there are, after a letter's worth of padding */
                memset(&x, 'a', sizeof(x));
                memcpy(&x, s, n);
        }
        if (!block_plain(x))
                seen |= scan_bytes(s + i, n - i);
        return seen;
}

/* The words of text between blanks into out (room for strlen(text) + 2 bytes), each NUL-terminated,
 * then an empty one; returns how many. */
static size_t value_split_blanks(const char *text, char *out) {
        size_t n = 0;
        for (const char *s = text;;) {
                while (*s == ' ' || *s == '\t')
                        s++;
                if (!*s)
                        break;
                const char *w = s;
                s += strcspn(s, " \t");
                memcpy(out, w, (size_t) (s - w));
                out += s - w;
                *out++ = 0;
                n++;
        }
        *out = 0;
        return n;
}

int value_check_specifiers(OciParse *p, const char *s) {
        if (value_option(p)->flags & OCI_OPT_NO_SPECIFIERS)
                return 0;
        char bad;
        unsigned warned = 0;
        while (!oci_specifiers_valid(s, &bad)) {
                if (!bad)
                        return oci_parse_error(p, "%s", " ends in a lone '%'; write '%%' for a literal '%'");
                unsigned since = oci_specifier_since(bad);
                if (!since)
                        return oci_parse_error(p, " has '%%%c', which is not a systemd specifier; write '%%%%' for a literal '%%'", bad);
                /* a later systemd's: passed on, for the systemd that reads the unit to resolve */
                if (!(warned & 1u << (bad & 31)))
                        oci_parse_warning(p, " has '%%%c', which systemd resolves from version %u on: an older one (Debian 12 "
                                          "has 252) will not load the unit", bad, since);
                warned |= 1u << (bad & 31);
                /* go on after it */
                const char *at = s;
                for (const char *c = strchr(s, '%'); c; c = strchr(c + 2, '%'))
                        if (c[1] == bad) {
                                at = c + 2;
                                break;
                        }
                s = at;
        }
        return 0;
}

/* One piece of an assignment (the whole of it, or one of its words; len bytes, whose scan() is
 * seen, or holds it; owned: item memory of its own) through the checks every value gets and its type's parser. */
static int parse_piece(OciParse *p, const char *text, size_t len, unsigned seen, bool owned) {
        OciType type = value_option(p)->type;
        /* WORDS and KEYVALUE items are quoted into the unit whatever they hold: a decoded escape
         * may make a tab, a line break or a backslash there, which comes back exactly */
        bool words = type == OCI_TYPE_WORDS || type == OCI_TYPE_KEYVALUE;
        if (!words && (seen & SCAN_CONTROL))
                return oci_parse_error(p, "%s", " holds control characters");
        /* A value written as it is (StandardOutput=append:, TimeoutStartSec=, User=, ...) that ended
         * in a backslash would join the next line of the unit to its own: the reader continues such
         * a line, so only a decoded word could, and it would be refused here. An odd run of them
         * at the end is one that escapes no other. */
        const char *end = text + len, *run = end;
        while (!words && run > text && run[-1] == '\\')
                run--;
        if ((end - run) % 2)
                return oci_parse_error(p, "%s", " ends in a backslash, which would join the next line of the generated unit to "
                                       "this one; remove it");
        /* a secret's words are checked one by one, each naming its variable (words.c); without a
         * '%' there is no specifier to check */
        int r = (value_option(p)->flags & OCI_OPT_CONFIDENTIAL) || !(seen & SCAN_PERCENT) ? 0 : value_check_specifiers(p, text);
        if (r < 0)
                return r;
        p->piece = text;
        p->piece_len = len;
        p->piece_owned = owned;
        p->piece_ascii = !(seen & SCAN_HIGH);
        r = oci_value_types[type]->parse(p, text);
        p->piece = NULL;
        return r;
}

/* Read one assignment of row p->id as Quadlet reads that key (the row's read column) and parse
 * what that gives into items at the end of p->out. */
int oci_value_parse(OciParse *p, const char *text) {
        assert(p);
        assert(p->sink);
        assert(p->out);
        assert(p->arena);
        assert(text);
        assert(p->id >= 0 && p->id < _OCI_OPT_MAX);
        assert(value_option(p)->type < _OCI_TYPE_MAX && oci_value_types[value_option(p)->type]);

        p->value = text;
        size_t len = strlen(text);
        unsigned seen = scan(text, len);
        if (seen & SCAN_BREAK)
                return oci_parse_error(p, "%s", " holds a line break");
        /* a row that is not a list takes what its last assignment gives (into the same array) */
        if (!(value_option(p)->flags & OCI_OPT_LIST))
                p->out->n = 0;
        OciRead mode = oci_option_read(p->id);
        /* a secret's parser splits it itself, strictly, so that a message names its variable */
        bool split = (mode == OCI_READ_WORDS || mode == OCI_READ_ARGS || mode == OCI_READ_LAST_ARGS || mode == OCI_READ_KEYVAL) &&
                     !(value_option(p)->flags & OCI_OPT_CONFIDENTIAL);
        if (!split)
                return parse_piece(p, text, len, seen, false);
        /* an assignment with an error adds nothing */
        size_t before = p->out->n;
        int r = 0;
        if (!(seen & SCAN_QUOTE)) {
                /* without a quote or an escape, Quadlet's words are those between blanks (a line
                 * break was refused above); what the whole has not, no word has */
                char *words = arena_alloc_uninit(p->arena, len + 2);
                if (!words)
                        return -ENOMEM;
                size_t n = value_split_blanks(text, words);
                for (char *w = words; r >= 0 && n > 0; n--) {
                        size_t k = strlen(w);
                        r = parse_piece(p, w, k, seen & (SCAN_CONTROL | SCAN_PERCENT) ? scan(w, k) : seen, true);
                        w += k + 1;
                }
        } else {
                /* the words, item memory: none decodes longer than it is written */
                char *words = arena_alloc_uninit(p->arena, len + 2);
                if (!words)
                        return -ENOMEM;
                const char *err = NULL, *note = NULL;
                size_t n;
                r = oci_split_quadlet_to(text, len, mode == OCI_READ_WORDS ? OCI_SPLIT_WORDS : OCI_SPLIT_ARGS, words, &n, &err, &note);
                if (r == -EINVAL) {
                        /* Quadlet drops such an assignment (and says so for some keys); so does this, aloud */
                        return oci_parse_warning(p, " %s; the line is ignored, as Quadlet ignores it", err);
                }
                if (r == -ENOBUFS) /* its words did not fit in as many bytes as the text: never so */
                        return oci_parse_error(p, "%s", " is not read: its words came out longer than it is written, "
                                               "which is a fault of oci-containers; please report it");
                if (r < 0)
                        return r;
                if (note)
                        oci_parse_warning(p, ": %s, as Quadlet reads it", note);
                for (char *w = words; r >= 0 && n > 0; n--) {
                        size_t k = strlen(w);
                        r = parse_piece(p, w, k, scan(w, k), true);
                        w += k + 1;
                }
        }
        if (r < 0)
                p->out->n = before;
        return r;
}

const char *value_default(const OciParse *p, OciOptionId id) {
        const OciDefinition *defaults = p->defaults;
        if (!defaults)
                return NULL;
        return oci_value_str(defaults, id);
}

char *value_strndup(OciParse *p, const char *s, size_t n) {
        assert(p && p->arena);
        return arena_strndup(p->arena, s, n);
}

char *value_concat(OciParse *p, const char *s, ...) {
        assert(p && p->arena);
        va_list ap;
        va_start(ap, s);
        size_t n = strjoin_length_v(s, ap);
        va_end(ap);
        char *out = arena_alloc_uninit(p->arena, n + 1);
        if (!out)
                return NULL;
        va_start(ap, s);
        strjoin_copy_v(out, s, ap);
        va_end(ap);
        return out;
}

char *value_words(OciParse *p, const char *text) {
        /* a NUL for each blank run it replaces, and one more at the end */
        char *words = arena_alloc_uninit(p->arena, strlen(text) + 2);
        if (words)
                value_split_blanks(text, words);
        return words;
}

/* Append a zeroed item holding loc and text; NULL when memory runs out. The array doubles in the
 * arena: what it leaves behind is less than it holds. */
OciItem *oci_items_push(ArenaBlock **arena, OciItems *items, const OciLoc *loc, char *text) {
        assert(arena);
        assert(items);
        if (!text)
                return NULL;
        if (items->n == items->cap) {
                size_t cap = items->cap ? 2 * items->cap : 4;
                OciItem *m = cap > SIZE_MAX / 2 / sizeof(OciItem) ? NULL : arena_alloc_uninit(arena, cap * sizeof(OciItem));
                if (!m)
                        return NULL;
                if (items->n)
                        memcpy(m, items->items, items->n * sizeof(OciItem));
                items->items = m;
                items->cap = cap;
        }
        OciItem *it = &items->items[items->n++];
        *it = (OciItem) { .text = text };
        if (loc)
                it->loc = *loc;
        return it;
}

void oci_items_clear(OciItems *items) {
        assert(items);
        *items = (OciItems) {};
}

/* Append the engine's form of an item to out: its type's formatter, else its text. */
int oci_item_format(OciType type, const OciItem *it, OciBackendId b, StrBuf *out) {
        assert(type < _OCI_TYPE_MAX);
        assert(it && it->text);
        assert(out);
        const OciValueType *t = oci_value_types[type];
        if (t && t->format)
                return t->format(it, b, out);
        return strbuf_puts(out, it->text);
}
