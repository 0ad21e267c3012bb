/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Times. podman and docker read a duration as Go's time.ParseDuration does (30s, 1m30s, 1.5h,
 * 500ms; no unit only for 0), systemd a time span as its parse_sec() does (90 is seconds, 1min 30s,
 * 2h, infinity). The item keeps the text as written, which is what the engine that reads that form
 * gets, and the time in microseconds, from which the other form is written. */
#include <assert.h>
#include <inttypes.h>
#include <stdio.h>

#include "escape.h"
#include "internal.h"

#define USEC_PER_SEC 1000000ULL
#define USEC_PER_MINUTE (60 * USEC_PER_SEC)
#define USEC_PER_HOUR (60 * USEC_PER_MINUTE)
#define USEC_PER_DAY (24 * USEC_PER_HOUR)

typedef struct Unit {
        const char *name;
        double usec;
} Unit;

/* Go's units (time.ParseDuration), "µs" in both of its spellings */
static const Unit go_units[] = {
        { "ns", 1e-3 }, { "us", 1 }, { "\xc2\xb5s", 1 }, { "\xce\xbcs", 1 }, { "ms", 1e3 },
        { "s", 1e6 },   { "m", 6e7 }, { "h", 3.6e9 },
};

/* systemd's units (parse_sec()), the longest spelling of each first */
static const Unit systemd_units[] = {
        { "seconds", 1e6 },  { "second", 1e6 }, { "sec", 1e6 },       { "s", 1e6 },      { "minutes", 6e7 },
        { "minute", 6e7 },   { "min", 6e7 },    { "months", 2629800e6 }, { "month", 2629800e6 }, { "M", 2629800e6 },
        { "msec", 1e3 },     { "ms", 1e3 },     { "m", 6e7 },         { "hours", 3.6e9 }, { "hour", 3.6e9 },
        { "hr", 3.6e9 },     { "h", 3.6e9 },    { "days", 8.64e10 },  { "day", 8.64e10 }, { "d", 8.64e10 },
        { "weeks", 6.048e11 }, { "week", 6.048e11 }, { "w", 6.048e11 }, { "years", 31557600e6 },
        { "year", 31557600e6 }, { "y", 31557600e6 }, { "usec", 1 }, { "us", 1 }, { "\xc2\xb5s", 1 }, { "\xce\xbcs", 1 },
};

/* The unit at *s, the longest that matches (systemd's end at a blank, a digit or the end). */
static const Unit *unit_at(const char **s, const Unit *units, size_t n, bool systemd) {
        const Unit *best = NULL;
        size_t best_len = 0;
        for (size_t i = 0; i < n; i++) {
                if (**s != units[i].name[0])
                        continue; /* the usual case, told at the first byte */
                size_t l = strlen(units[i].name);
                if (l <= best_len || strncmp(*s, units[i].name, l) != 0)
                        continue;
                char next = (*s)[l];
                if (systemd && next && next != ' ' && next != '\t' && !(next >= '0' && next <= '9') && next != '.')
                        continue;
                best = &units[i];
                best_len = l;
        }
        *s += best_len;
        return best;
}

/* DIGITS[.DIGITS] (either part may be empty, not both) at *s, as a double. */
static bool number_at(const char **s, double *ret) {
        const char *c = *s;
        size_t i = strspn(c, "0123456789");
        size_t f = c[i] == '.' ? strspn(c + i + 1, "0123456789") : 0;
        if (i == 0 && f == 0)
                return false;
        if (i > 19)
                return false;
        if (c[i] != '.') {
                /* a whole number, the usual case: at most 19 digits, exact in 64 bits, and the
                 * nearest double to it as strtod() would give */
                uint64_t v = 0;
                for (size_t k = 0; k < i; k++)
                        v = v * 10 + (uint64_t) (c[k] - '0');
                *ret = (double) v;
                *s = c + i;
                return true;
        }
        char buf[64];
        size_t len = i + (c[i] == '.' ? 1 + f : 0);
        if (len >= sizeof(buf))
                len = sizeof(buf) - 1; /* digits past a double's precision change nothing */
        memcpy(buf, c, len);
        buf[len] = 0;
        *ret = strtod(buf, NULL);
        *s = c + i + (c[i] == '.' ? 1 + f : 0);
        return true;
}

static int add_usec(double *total, double n, double per) {
        *total += n * per;
        return *total < 1.8e19 ? 0 : -ERANGE;
}

/* Go's form: [+]0, or NUMBER UNIT repeated. */
static int parse_go(const char *s, uint64_t *ret) {
        if (*s == '+')
                s++;
        if (streq(s, "0")) {
                *ret = 0;
                return 0;
        }
        if (!*s)
                return -EINVAL;
        double total = 0;
        while (*s) {
                double n;
                if (!number_at(&s, &n))
                        return -EINVAL;
                const Unit *u = unit_at(&s, go_units, ELEMENTSOF(go_units), false);
                if (!u || add_usec(&total, n, u->usec) < 0)
                        return -EINVAL;
        }
        *ret = (uint64_t) (total + 0.5);
        return 0;
}

/* systemd's form: infinity, or NUMBER [UNIT] repeated, blanks between; no unit is seconds. */
static int parse_systemd(const char *s, uint64_t *ret) {
        s += strspn(s, " \t");
        if (streq(s, "infinity")) {
                *ret = UINT64_MAX;
                return 0;
        }
        if (!*s)
                return -EINVAL;
        double total = 0;
        while (*s) {
                double n;
                if (!number_at(&s, &n))
                        return -EINVAL;
                s += strspn(s, " \t");
                const Unit *u = unit_at(&s, systemd_units, ELEMENTSOF(systemd_units), true);
                if (add_usec(&total, n, u ? u->usec : 1e6) < 0)
                        return -EINVAL;
                s += strspn(s, " \t");
        }
        *ret = (uint64_t) (total + 0.5);
        return 0;
}

static int parse_time(OciParse *p, const char *text, bool systemd) {
        const OciOption *o = value_option(p);
        OciDuration dur = {};
        if (!(o->sections & OCI_IN(DEFAULTS)) && oci_has_variable(text))
                dur.variable = true; /* the engine judges it once systemd has put the variable in */
        const OciStr *words = systemd ? NULL : oci_option_choices(o);
        for (size_t i = 0; !dur.variable && words && words[i]; i++)
                if (streq(text, oci_str(words[i])))
                        dur.word = (int) i + 1;
        if (!dur.variable && !dur.word && (systemd ? parse_systemd(text, &dur.usec) : parse_go(text, &dur.usec)) < 0) {
                if (systemd)
                        return oci_parse_error(p, "%s", " must be a systemd time span: seconds, or numbers with units (ms, s, "
                                               "min, h, d...), for example 90 or 1min 30s, or infinity");
                _cleanup_free_ char *list = oci_option_choices_join(p->id, ", ");
                return oci_parse_error(p, " must be a duration as podman and docker take one: numbers with units (ns, us, ms, "
                                       "s, m, h), for example 30s or 1m30s%s%s", list ? "; or " : "", list ? list : "");
        }
        OciItem *it = value_push(p, value_keep(p, text));
        if (!it)
                return -ENOMEM;
        it->duration = dur;
        return 0;
}

static int parse_duration(OciParse *p, const char *text) {
        return parse_time(p, text, false);
}

static int parse_timespan(OciParse *p, const char *text) {
        return parse_time(p, text, true);
}

/* The largest units that divide what is left, each once: 90s is 1m30s. */
static int format_parts(uint64_t usec, const Unit *units, size_t n, const char *sep, StrBuf *out) {
        int r = 0;
        bool first = true;
        for (size_t i = 0; r >= 0 && i < n && usec; i++) {
                uint64_t per = (uint64_t) units[i].usec;
                if (usec < per)
                        continue;
                r = strbuf_printf(out, "%s%" PRIu64 "%s", first ? "" : sep, usec / per, units[i].name);
                usec %= per;
                first = false;
        }
        return r;
}

int oci_duration_format_go(uint64_t usec, StrBuf *out) {
        static const Unit units[] = { { "h", 3.6e9 }, { "m", 6e7 }, { "s", 1e6 }, { "ms", 1e3 }, { "us", 1 } };
        assert(out);
        if (usec == 0)
                return strbuf_puts(out, "0s");
        if (usec == UINT64_MAX) /* Go's longest duration, some 292 years: what "never" is there */
                return strbuf_puts(out, "2562047h");
        return format_parts(usec, units, ELEMENTSOF(units), "", out);
}

int oci_duration_format_systemd(uint64_t usec, StrBuf *out) {
        static const Unit units[] = { { "d", 8.64e10 }, { "h", 3.6e9 }, { "min", 6e7 }, { "s", 1e6 }, { "ms", 1e3 }, { "us", 1 } };
        assert(out);
        if (usec == 0)
                return strbuf_puts(out, "0");
        if (usec == UINT64_MAX)
                return strbuf_puts(out, "infinity");
        return format_parts(usec, units, ELEMENTSOF(units), " ", out);
}

/* The text as written for an engine that reads its form (systemd's for nspawn, which goes into the
 * unit, Go's for podman and docker), the time in the other form otherwise. */
static int format_duration(const OciItem *it, OciBackendId b, StrBuf *out) {
        if (it->duration.variable || it->duration.word || b != OCI_BACKEND_NSPAWN)
                return strbuf_puts(out, it->text);
        return oci_duration_format_systemd(it->duration.usec, out);
}

static int format_timespan(const OciItem *it, OciBackendId b, StrBuf *out) {
        if (it->duration.variable || b == OCI_BACKEND_NSPAWN)
                return strbuf_puts(out, it->text);
        return oci_duration_format_go(it->duration.usec, out);
}

const OciValueType value_type_duration = { .name = "duration", .parse = parse_duration, .format = format_duration };
const OciValueType value_type_timespan = { .name = "time span", .parse = parse_timespan, .format = format_timespan };
