/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Names and literal values for --export=kube. */
#include <assert.h>
#include <stdlib.h>
#include <string.h>

#include "kube-internal.h"

static bool alnum_lower(char c) {
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

char *kube_name(const char *name, bool *ret_oom) {
        assert(name && ret_oom);
        *ret_oom = false;
        StrBuf b = {};
        int r = 0;
        bool dash = false;
        for (const char *p = name; r >= 0 && *p; p++) {
                char c = *p >= 'A' && *p <= 'Z' ? (char) (*p - 'A' + 'a') : *p;
                if (!alnum_lower(c)) {
                        dash = b.len > 0;
                        continue;
                }
                if (b.len == 0 && c >= '0' && c <= '9')
                        r = strbuf_puts(&b, "n-");
                if (r >= 0 && dash)
                        r = strbuf_putc(&b, '-');
                dash = false;
                if (r >= 0)
                        r = strbuf_putc(&b, c);
        }
        if (r < 0) {
                strbuf_done(&b);
                *ret_oom = true;
                return NULL;
        }
        if (b.len == 0) {
                strbuf_done(&b);
                return NULL;
        }
        if (b.len > 63) {
                b.len = 63;
                while (b.s[b.len - 1] == '-')
                        b.len--;
                b.s[b.len] = '\0';
        }
        char *s = strbuf_steal(&b);
        *ret_oom = !s;
        return s;
}

/* d's unit name without ".service": what %N is */
static size_t unit_stem(const OciDefinition *d) {
        const char *e = d->unit_name ? endswith(d->unit_name, ".service") : NULL;
        return e ? (size_t) (e - d->unit_name) : d->unit_name ? strlen(d->unit_name) : 0;
}

char *kube_literal(const OciDefinition *d, const char *text, bool *ret_unresolved) {
        assert(d && text && ret_unresolved);
        StrBuf b = {};
        int r = 0;
        const char *unit = d->unit_name ? d->unit_name : d->name;
        size_t stem = d->unit_name ? unit_stem(d) : strlen(d->name);
        const char *at = memchr(unit, '@', stem);
        for (const char *p = text; r >= 0 && *p; p++) {
                if (p[0] == '%' && p[1]) {
                        p++;
                        switch (*p) {
                        case '%': r = strbuf_putc(&b, '%'); break;
                        case 'n': r = strbuf_puts(&b, unit); break;
                        case 'N': r = strbuf_putn(&b, unit, stem); break;
                        case 'p': r = strbuf_putn(&b, unit, at ? (size_t) (at - unit) : stem); break;
                        case 'i': r = at ? strbuf_putn(&b, at + 1, stem - (size_t) (at + 1 - unit)) : 0; break;
                        default:
                                *ret_unresolved = true;
                                r = strbuf_putc(&b, '%');
                                if (r >= 0)
                                        r = strbuf_putc(&b, *p);
                        }
                } else if (p[0] == '$' && p[1] == '$') {
                        r = strbuf_putc(&b, '$');
                        p++;
                } else {
                        if (p[0] == '$')
                                *ret_unresolved = true;
                        r = strbuf_putc(&b, *p);
                }
        }
        if (r < 0) {
                strbuf_done(&b);
                return NULL;
        }
        return strbuf_steal(&b);
}

/* a name part of a label: at most 63 of [A-Za-z0-9-_.], alphanumeric at the ends */
static bool label_name_valid(const char *s, size_t n) {
        if (n == 0 || n > 63)
                return false;
        for (size_t i = 0; i < n; i++) {
                char c = s[i];
                bool an = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
                if (!an && ((i == 0 || i + 1 == n) || !strchr("-_.", c)))
                        return false;
        }
        return true;
}

/* a DNS-1123 subdomain: labels of [a-z0-9-] joined by '.', at most 253 characters */
static bool subdomain_valid(const char *s, size_t n) {
        if (n == 0 || n > 253)
                return false;
        size_t start = 0;
        for (size_t i = 0; i <= n; i++) {
                if (i < n && s[i] != '.') {
                        if (!alnum_lower(s[i]) && s[i] != '-')
                                return false;
                        continue;
                }
                if (i == start || s[start] == '-' || s[i - 1] == '-')
                        return false;
                start = i + 1;
        }
        return true;
}

bool kube_label_key_valid(const char *key) {
        assert(key);
        const char *slash = strchr(key, '/');
        if (!slash)
                return label_name_valid(key, strlen(key));
        return subdomain_valid(key, (size_t) (slash - key)) && label_name_valid(slash + 1, strlen(slash + 1));
}

bool kube_label_value_valid(const char *value) {
        assert(value);
        return !*value || label_name_valid(value, strlen(value));
}
