/* The goal's number mentions read in C: the same reading as jixiao.rules.textnum.extract_python.
 *
 * Why: reading the 年度目标 is the largest part of a review (a regex scan, then a compiled-Python
 * reading per number: a third of the instructions per table). This is that reading, step for step,
 * over the string's code points; it builds the same Mention tuples with the same Decimal values
 * (made by the Decimal type from the same digits, multiplied by the same integers).
 *
 * textnum.py stays the reference and the fallback (no compiler, JIXIAO_PURE=1);
 * tests/test_goalscan.py holds the two equal on generated texts (values compared by repr, so a
 * Decimal's exponent counts too).
 *
 * configure(Mention, Decimal, zero, QUANTITY_UNITS, UNIT_ALIASES) is called once by textnum; extract(text) -> tuple[Mention, ...].
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <string.h>

static PyTypeObject *mention_type = NULL;
static PyObject *decimal_type = NULL;
static PyObject *zero = NULL;                 /* textnum._ZERO: an amount that reads as 0 */
static PyObject *s_money, *s_quantity, *s_percent, *s_yuan, *s_pct, *s_item, *s_total, *s_unit_price;
static PyObject *s_month, *s_quarter, *s_year;
static PyObject *i_one, *i_four, *i_twelve, *i_ten, *i_hundred, *i_thousand, *i_wan, *i_yi;

/* Count units, longest first (textnum.QUANTITY_UNITS) with their normalised names (UNIT_ALIASES):
 * given by configure(), so the unit list lives in textnum only. */
#define UNIT_LIMIT 64
#define UNIT_MAX 8
static int unit_count = 0;
static Py_UCS4 unit_chars[UNIT_LIMIT][UNIT_MAX];
static Py_ssize_t unit_lengths[UNIT_LIMIT];
static PyObject *unit_names[UNIT_LIMIT];

/* Words before a number (code points), as textnum's _TOTAL_RE alternation ("共" covers 共计, 共需). */
static const char *const TOTAL_WORDS[] = {"合计", "总计", "合同金额", "总额", "总金额", "总投入", "共"};
#define TOTAL_COUNT ((int)(sizeof(TOTAL_WORDS) / sizeof(TOTAL_WORDS[0])))
static Py_UCS4 total_chars[TOTAL_COUNT][4];
static Py_ssize_t total_lengths[TOTAL_COUNT];

typedef struct {
    int kind;
    const void *data;
    Py_ssize_t size;
    PyObject *text;
} Text;

#define AT(t, i) PyUnicode_READ((t)->kind, (t)->data, (i))

static int is_digit(Py_UCS4 c) { return c >= '0' && c <= '9'; }

static int small_unit(Py_UCS4 c) {  /* 十百千 → its value, else 0 */
    switch (c) {
    case 0x5341: return 10;    /* 十 */
    case 0x767E: return 100;   /* 百 */
    case 0x5343: return 1000;  /* 千 */
    default: return 0;
    }
}

static int digit_value(Py_UCS4 c) {  /* 零〇一二两三四五六七八九 → 0..9, else -1 */
    switch (c) {
    case 0x96F6: case 0x3007: return 0;  /* 零 〇 */
    case 0x4E00: return 1;               /* 一 */
    case 0x4E8C: case 0x4E24: return 2;  /* 二 两 */
    case 0x4E09: return 3;               /* 三 */
    case 0x56DB: return 4;               /* 四 */
    case 0x4E94: return 5;               /* 五 */
    case 0x516D: return 6;               /* 六 */
    case 0x4E03: return 7;               /* 七 */
    case 0x516B: return 8;               /* 八 */
    case 0x4E5D: return 9;               /* 九 */
    default: return -1;
    }
}

static int is_big(Py_UCS4 c) { return c == 0x4E07 || c == 0x4EBF; }     /* 万 亿 */
static int is_approx(Py_UCS4 c) { return c == 0x4F59 || c == 0x591A; }  /* 余 多 */
static int is_percent(Py_UCS4 c) { return c == '%' || c == 0xFF05; }    /* % ％ */

/* What each BMP character is to the scan, looked up once per character (filled by configure()). */
enum { NUMERAL = 1, LEAD = 2, RUN = 4, FOLLOW = 8, UNIT_FIRST = 16 };
static unsigned char classes[65536];

static inline int has_class(Py_UCS4 c, int mask) { return c < 65536 && (classes[c] & mask); }
static int is_numeral(Py_UCS4 c) { return has_class(c, NUMERAL); }  /* _NUMERALS */
static int is_lead(Py_UCS4 c) { return has_class(c, LEAD); }        /* digits, _NUMERALS */
static int is_run(Py_UCS4 c) { return has_class(c, RUN); }          /* digits, ".", _NUMERALS */
static int may_follow(Py_UCS4 c) { return has_class(c, FOLLOW); }   /* _MAY_FOLLOW */
#define YUAN 0x5143  /* 元 */
#define WAN 0x4E07   /* 万 */
#define YI 0x4EBF    /* 亿 */
#define MEI 0x6BCF   /* 每 */
#define YUE 0x7EA6   /* 约 */

static int is_stop(Py_UCS4 c) {  /* _STOPS: ，。；;,！？!?\n */
    switch (c) {
    case 0xFF0C: case 0x3002: case 0xFF1B: case ';': case ',': case 0xFF01: case 0xFF1F: case '!': case '?':
    case '\n':
        return 1;
    default:
        return 0;
    }
}

static void fill_classes(void) {
    memset(classes, 0, sizeof classes);
    for (Py_UCS4 c = 0; c < 65536; c++) {
        int numeral = digit_value(c) >= 0 || small_unit(c) > 0;
        int follow = c == ' ' || is_big(c) || is_approx(c) || c == YUAN || is_percent(c);
        classes[c] = (unsigned char)((numeral ? NUMERAL | LEAD | RUN : 0) | (is_digit(c) ? LEAD | RUN : 0)
                                     | (c == '.' ? RUN : 0) | (follow ? FOLLOW : 0));
    }
    for (int u = 0; u < unit_count; u++) {
        Py_UCS4 first = unit_chars[u][0];
        if (first < 65536) classes[first] |= FOLLOW | UNIT_FIRST;
    }
}

/* The longest count unit at j (the alternation of units longest first), or -1. */
static int unit_at(const Text *t, Py_ssize_t j) {
    if (j >= t->size || !has_class(AT(t, j), UNIT_FIRST)) return -1;
    for (int u = 0; u < unit_count; u++) {
        Py_ssize_t length = unit_lengths[u];
        if (j + length > t->size) continue;
        Py_ssize_t k = 0;
        while (k < length && AT(t, j + k) == unit_chars[u][k]) k++;
        if (k == length) return u;
    }
    return -1;
}

static int contains_word(const Text *t, Py_ssize_t low, Py_ssize_t high, const Py_UCS4 *word, Py_ssize_t length) {
    for (Py_ssize_t i = low; i + length <= high; i++) {
        Py_ssize_t k = 0;
        while (k < length && AT(t, i + k) == word[k]) k++;
        if (k == length) return 1;
    }
    return 0;
}

/* _clause_before: the bounds of the words before start in its clause (up to 12 characters). */
static void clause_before(const Text *t, Py_ssize_t start, Py_ssize_t *low_out, Py_ssize_t *end_out) {
    Py_ssize_t low = start > 12 ? start - 12 : 0;
    Py_ssize_t end = (start && AT(t, start - 1) == '\n') ? start - 1 : start;
    for (Py_ssize_t p = end - 1; p >= low; p--) {
        if (is_stop(AT(t, p))) {
            low = p + 1;
            break;
        }
    }
    *low_out = low;
    *end_out = end;
}

/* Decimal(text[a:b]) */
static PyObject *decimal_of(const Text *t, Py_ssize_t a, Py_ssize_t b) {
    PyObject *digits = PyUnicode_Substring(t->text, a, b);
    if (digits == NULL) return NULL;
    PyObject *value = PyObject_CallOneArg(decimal_type, digits);
    Py_DECREF(digits);
    return value;
}

static PyObject *times(PyObject *value, PyObject *factor) {  /* steals value */
    if (value == NULL) return NULL;
    PyObject *product = PyNumber_Multiply(value, factor);
    Py_DECREF(value);
    return product;
}

static PyObject *small_factor(int value) {
    return value == 10 ? i_ten : value == 100 ? i_hundred : i_thousand;
}

/* textnum.chinese_numeral over text[a:b]; Py_None (a new reference) when it is not one. */
static PyObject *chinese_numeral(const Text *t, Py_ssize_t a, Py_ssize_t b) {
    if (a >= b) Py_RETURN_NONE;
    for (Py_ssize_t i = a; i < b; i++) {
        Py_UCS4 c = AT(t, i);
        if (!is_numeral(c) && !is_big(c)) Py_RETURN_NONE;
    }
    PyObject *total = PyLong_FromLong(0), *section = PyLong_FromLong(0), *digit = NULL;  /* Python ints: no overflow */
    if (total == NULL || section == NULL) goto fail;
    for (Py_ssize_t i = a; i < b; i++) {
        Py_UCS4 c = AT(t, i);
        int d = digit_value(c), unit = small_unit(c);
        PyObject *next;
        if (d >= 0) {
            Py_XDECREF(digit);
            digit = PyLong_FromLong(d);
            if (digit == NULL) goto fail;
        } else if (unit) {
            PyObject *part = digit == NULL ? PyLong_FromLong(unit) : PyNumber_Multiply(digit, small_factor(unit));
            if (part == NULL) goto fail;
            next = PyNumber_Add(section, part);
            Py_DECREF(part);
            if (next == NULL) goto fail;
            Py_SETREF(section, next);
            Py_CLEAR(digit);
        } else {  /* 万 亿 */
            if (digit != NULL) {  /* section += digit or 0 */
                next = PyNumber_Add(section, digit);
                if (next == NULL) goto fail;
                Py_SETREF(section, next);
            }
            PyObject *factor = c == WAN ? i_wan : i_yi;
            int empty = PyObject_Not(section);
            if (empty < 0) goto fail;
            PyObject *part = PyNumber_Multiply(empty ? i_one : section, factor);
            if (part == NULL) goto fail;
            next = PyNumber_Add(total, part);
            Py_DECREF(part);
            if (next == NULL) goto fail;
            Py_SETREF(total, next);
            Py_SETREF(section, PyLong_FromLong(0));
            if (section == NULL) goto fail;
            Py_CLEAR(digit);
        }
    }
    PyObject *sum = PyNumber_Add(total, section);
    if (sum == NULL) goto fail;
    if (digit != NULL) {
        PyObject *next = PyNumber_Add(sum, digit);
        Py_DECREF(sum);
        if (next == NULL) goto fail;
        sum = next;
    }
    Py_DECREF(total);
    Py_DECREF(section);
    Py_XDECREF(digit);
    PyObject *value = PyObject_CallOneArg(decimal_type, sum);
    Py_DECREF(sum);
    return value;
fail:
    Py_XDECREF(total);
    Py_XDECREF(section);
    Py_XDECREF(digit);
    return NULL;
}

/* textnum._number over raw = text[a:b]: Py_None when a Chinese numeral does not read. */
static PyObject *number(const Text *t, Py_ssize_t a, Py_ssize_t b) {
    if (is_digit(AT(t, a))) {
        int unit = small_unit(AT(t, b - 1));
        if (unit) return times(decimal_of(t, a, b - 1), small_factor(unit));
        return decimal_of(t, a, b);
    }
    return chinese_numeral(t, a, b);
}

/* A Mention (a named tuple: its type's alloc, then the ten fields in order). Steals every argument. */
static PyObject *new_mention(PyObject *kind, PyObject *value, PyObject *unit, PyObject *shown, Py_ssize_t start,
                             PyObject *role, PyObject *period, PyObject *per_year, int approximate,
                             PyObject *context) {
    PyObject *start_obj = PyLong_FromSsize_t(start);
    PyObject *mention = NULL;
    if (value != NULL && shown != NULL && context != NULL && start_obj != NULL)
        mention = mention_type->tp_alloc(mention_type, 10);
    if (mention == NULL) {
        Py_XDECREF(value);
        Py_XDECREF(shown);
        Py_XDECREF(context);
        Py_XDECREF(start_obj);
        return NULL;
    }
    PyObject *approx = approximate ? Py_True : Py_False;
    Py_INCREF(kind);
    Py_INCREF(unit);
    Py_INCREF(role);
    Py_INCREF(period);
    Py_INCREF(per_year);
    Py_INCREF(approx);
    PyTuple_SET_ITEM(mention, 0, kind);
    PyTuple_SET_ITEM(mention, 1, value);
    PyTuple_SET_ITEM(mention, 2, unit);
    PyTuple_SET_ITEM(mention, 3, shown);
    PyTuple_SET_ITEM(mention, 4, start_obj);
    PyTuple_SET_ITEM(mention, 5, role);
    PyTuple_SET_ITEM(mention, 6, period);
    PyTuple_SET_ITEM(mention, 7, per_year);
    PyTuple_SET_ITEM(mention, 8, approx);
    PyTuple_SET_ITEM(mention, 9, context);
    return mention;
}

static PyObject *none_ref(void) { Py_RETURN_NONE; }

/* textnum._money: raw = text[a:b], an amount ending at end. */
static PyObject *money(const Text *t, Py_ssize_t a, Py_ssize_t b, Py_UCS4 big, Py_ssize_t end) {
    PyObject *value = number(t, a, b);
    if (value == NULL) return NULL;
    int truth = value == Py_None ? 0 : PyObject_IsTrue(value);
    if (truth < 0) {
        Py_DECREF(value);
        return NULL;
    }
    if (!truth) {  /* _number(raw) or _ZERO */
        Py_DECREF(value);
        Py_INCREF(zero);
        value = zero;
    }
    if (big) value = times(value, big == WAN ? i_wan : i_yi);
    if (value == NULL) return NULL;
    Py_ssize_t low, high;
    clause_before(t, a, &low, &high);
    Py_ssize_t near = high - low > 6 ? high - 6 : low;  /* before[-6:] */
    PyObject *role = s_item;
    if ((end < t->size && AT(t, end) == '/') || contains_word(t, near, high, (const Py_UCS4[]){MEI}, 1)) {
        role = s_unit_price;
    } else {
        for (int w = 0; w < TOTAL_COUNT; w++) {
            if (contains_word(t, near, high, total_chars[w], total_lengths[w])) {
                role = s_total;
                break;
            }
        }
    }
    return new_mention(s_money, value, s_yuan, PyUnicode_Substring(t->text, a, end), a, role, Py_None, i_one, 0,
                       PyUnicode_Substring(t->text, low, high));
}

/* textnum._quantity: raw = text[a:b], the unit (index u) at `at`. */
static PyObject *quantity(const Text *t, Py_ssize_t a, Py_ssize_t b, Py_UCS4 big, int approx_mark, Py_ssize_t at,
                          int u) {
    if (big == YI) return none_ref();
    if (!is_digit(AT(t, a)) && b - a == 1 && (AT(t, a) == 0x4E00 || AT(t, a) == 0x4E24)) return none_ref();  /* 一 两 */
    PyObject *value = number(t, a, b);
    if (value == NULL || value == Py_None) return value;
    if (big) value = times(value, i_wan);
    if (value == NULL) return NULL;
    Py_ssize_t end = at + unit_lengths[u];
    Py_ssize_t low, high;
    clause_before(t, a, &low, &high);
    /* _period: 每季度/每季, else 每月, else 每年, anywhere in the clause before */
    int quarter = 0, month = 0, year = 0;
    for (Py_ssize_t i = low; i + 1 < high; i++) {
        if (AT(t, i) != MEI) continue;
        Py_UCS4 next = AT(t, i + 1);
        quarter |= next == 0x5B63;  /* 季 */
        month |= next == 0x6708;    /* 月 */
        year |= next == 0x5E74;     /* 年 */
    }
    PyObject *period = Py_None, *factor = i_one;
    if (quarter) {
        period = s_quarter;
        factor = i_four;
    } else if (month) {
        period = s_month;
        factor = i_twelve;
    } else if (year) {
        period = s_year;
    }
    int approx = approx_mark || contains_word(t, high - low > 3 ? high - 3 : low, high, (const Py_UCS4[]){YUE}, 1);
    PyObject *role = (end < t->size && AT(t, end) == '/') ? s_unit_price : s_item;
    return new_mention(s_quantity, value, unit_names[u], PyUnicode_Substring(t->text, a, end), a, role, period, factor,
                       approx, PyUnicode_Substring(t->text, low, high));
}

/* textnum._mention: raw = text[a:b]; big (0, 万, 亿) and approx read; j where 元, % or the unit would be. */
static PyObject *mention(const Text *t, Py_ssize_t a, Py_ssize_t b, Py_UCS4 big, int approx, int u, Py_ssize_t j) {
    Py_UCS4 nxt = j < t->size ? AT(t, j) : 0x3002;  /* the end of the text reads as 。 */
    int digit = is_digit(AT(t, a));
    int cjk = nxt >= 0x4E00 && nxt <= 0x9FFF;
    if (nxt == YUAN || (big == WAN && !approx && !cjk && !is_percent(nxt))) {
        if (!digit && b - a == 1 && AT(t, a) == 0x4E00 && nxt != YUAN) return none_ref();  /* 一 */
        return money(t, a, b, big, j + (nxt == YUAN));
    }
    if (is_percent(nxt)) {
        if (digit && !big) {
            Py_ssize_t low, high;
            clause_before(t, a, &low, &high);
            return new_mention(s_percent, number(t, a, b), s_pct, PyUnicode_Substring(t->text, a, j + 1), a, s_item,
                               Py_None, i_one, 0, PyUnicode_Substring(t->text, low, high));
        }
        return none_ref();
    }
    if (u >= 0) return quantity(t, a, b, big, approx, j, u);
    return none_ref();
}

/* What follows a number ending at j: spaces, 万/亿, 余/多, a unit. Sets *after to where the unit starts. */
static void read_after(const Text *t, Py_ssize_t j, Py_UCS4 *big, int *approx, int *u, Py_ssize_t *after) {
    while (j < t->size && AT(t, j) == ' ') j++;
    *big = (j < t->size && is_big(AT(t, j))) ? AT(t, j) : 0;
    j += *big != 0;
    *approx = j < t->size && is_approx(AT(t, j));
    j += *approx;
    *u = unit_at(t, j);
    *after = j;
}

/* textnum._cut_run over the odd run text[a:b]. */
static PyObject *cut_run(const Text *t, Py_ssize_t a, Py_ssize_t b) {
    Py_ssize_t end = b;
    if (is_digit(AT(t, a))) {
        Py_ssize_t k = a;  /* [0-9]+(?:\.[0-9]+)? */
        while (k < b && is_digit(AT(t, k))) k++;
        if (k + 1 < b && AT(t, k) == '.' && is_digit(AT(t, k + 1))) {
            k += 2;
            while (k < b && is_digit(AT(t, k))) k++;
        }
        if (!(b - k == 1 && small_unit(AT(t, k)))) end = k;
    } else {
        int odd = 0;  /* raw.strip(_NUMERALS) != "": a character that is not a numeral */
        for (Py_ssize_t k = a; k < b; k++) odd |= !is_numeral(AT(t, k));
        if (odd) {
            while (end > a && (is_digit(AT(t, end - 1)) || AT(t, end - 1) == '.')) end--;
        }
    }
    Py_ssize_t j = end;
    if (j < t->size && !may_follow(AT(t, j))) return none_ref();
    Py_UCS4 big;
    int approx, u;
    read_after(t, j, &big, &approx, &u, &j);
    return mention(t, a, end, big, approx, u, j);
}

static PyObject *goalscan_extract(PyObject *module, PyObject *arg) {
    if (mention_type == NULL) {
        PyErr_SetString(PyExc_RuntimeError, "_goalscan.configure() was not called");
        return NULL;
    }
    if (!PyUnicode_Check(arg)) {
        PyErr_SetString(PyExc_TypeError, "extract() takes a str");
        return NULL;
    }
    if (PyUnicode_READY(arg) < 0) return NULL;
    Text text = {PyUnicode_KIND(arg), PyUnicode_DATA(arg), PyUnicode_GET_LENGTH(arg), arg};
    Text *t = &text;
    PyObject *found = PyList_New(0);
    if (found == NULL) return NULL;
    Py_ssize_t size = t->size, i = 0;
    while (i < size) {
        /* the pattern's first character: a numeral or digit that does not follow another */
        Py_UCS4 c = AT(t, i);
        if (!is_lead(c) || (i > 0 && is_lead(AT(t, i - 1)))) {
            i++;
            continue;
        }
        Py_ssize_t k = i + 1;
        if (is_digit(c)) {  /* [0-9]*+(?:\.[0-9]+)?+[十百千]?+ */
            while (k < size && is_digit(AT(t, k))) k++;
            if (k + 1 < size && AT(t, k) == '.' && is_digit(AT(t, k + 1))) {
                k += 2;
                while (k < size && is_digit(AT(t, k))) k++;
            }
            if (k < size && small_unit(AT(t, k))) k++;
        } else {  /* [numerals]*+ */
            while (k < size && is_numeral(AT(t, k))) k++;
        }
        PyObject *item;
        Py_ssize_t next;
        if (k < size && !is_run(AT(t, k)) && may_follow(AT(t, k))) {
            Py_UCS4 big;
            int approx, u;
            Py_ssize_t j;
            read_after(t, k, &big, &approx, &u, &j);
            next = j + (u >= 0 ? unit_lengths[u] : 0);
            item = mention(t, i, k, big, approx, u, j);
        } else if (k < size && is_run(AT(t, k))) {  /* a run to cut first */
            while (k < size && is_run(AT(t, k))) k++;
            next = k;
            item = cut_run(t, i, k);
        } else {  /* no match here: the scan moves on by one character */
            i++;
            continue;
        }
        if (item == NULL) {
            Py_DECREF(found);
            return NULL;
        }
        if (item != Py_None && PyList_Append(found, item) < 0) {
            Py_DECREF(item);
            Py_DECREF(found);
            return NULL;
        }
        Py_DECREF(item);
        i = next;
    }
    PyObject *result = PyList_AsTuple(found);
    Py_DECREF(found);
    return result;
}

/* contains_any(text, words): whether one of the words (a tuple of str) occurs in text. */
#define WORDS_LIMIT 64
static PyObject *goalscan_contains_any(PyObject *module, PyObject *const *args, Py_ssize_t nargs) {
    if (nargs != 2 || !PyUnicode_Check(args[0]) || !PyTuple_Check(args[1])) {
        PyErr_SetString(PyExc_TypeError, "contains_any(text: str, words: tuple[str, ...])");
        return NULL;
    }
    PyObject *text = args[0], *words = args[1];
    Py_ssize_t size = PyUnicode_GET_LENGTH(text), count = PyTuple_GET_SIZE(words);
    if (count > WORDS_LIMIT) {
        PyErr_SetString(PyExc_ValueError, "contains_any: at most 64 words");
        return NULL;
    }
    Py_UCS4 firsts[WORDS_LIMIT];
    unsigned long long mask = 0;  /* the words' first characters, folded to 64 bits: most characters miss */
    for (Py_ssize_t w = 0; w < count; w++) {
        PyObject *word = PyTuple_GET_ITEM(words, w);
        if (!PyUnicode_Check(word)) {
            PyErr_SetString(PyExc_TypeError, "contains_any: the words must be str");
            return NULL;
        }
        if (PyUnicode_GET_LENGTH(word) == 0) Py_RETURN_TRUE;  /* "" is in every text */
        firsts[w] = PyUnicode_READ_CHAR(word, 0);
        mask |= 1ULL << (firsts[w] & 63);
    }
    int kind = PyUnicode_KIND(text);
    const void *data = PyUnicode_DATA(text);
    for (Py_ssize_t i = 0; i < size; i++) {
        Py_UCS4 c = PyUnicode_READ(kind, data, i);
        if (!(mask & (1ULL << (c & 63)))) continue;
        for (Py_ssize_t w = 0; w < count; w++) {
            if (firsts[w] != c) continue;
            PyObject *word = PyTuple_GET_ITEM(words, w);
            Py_ssize_t length = PyUnicode_GET_LENGTH(word);
            if (i + length > size) continue;
            int word_kind = PyUnicode_KIND(word);
            const void *word_data = PyUnicode_DATA(word);
            Py_ssize_t k = 1;
            while (k < length && PyUnicode_READ(kind, data, i + k) == PyUnicode_READ(word_kind, word_data, k)) k++;
            if (k == length) Py_RETURN_TRUE;
        }
    }
    Py_RETURN_FALSE;
}

static PyObject *utf8(const char *text) { return PyUnicode_InternFromString(text); }

static int code_points(const char *text, Py_UCS4 *out, Py_ssize_t limit, Py_ssize_t *length) {
    PyObject *word = PyUnicode_FromString(text);
    if (word == NULL) return -1;
    Py_ssize_t size = PyUnicode_GET_LENGTH(word);
    if (size > limit) {
        Py_DECREF(word);
        PyErr_SetString(PyExc_ValueError, "word too long");
        return -1;
    }
    for (Py_ssize_t i = 0; i < size; i++) out[i] = PyUnicode_READ_CHAR(word, i);
    *length = size;
    Py_DECREF(word);
    return 0;
}

static PyObject *goalscan_configure(PyObject *module, PyObject *args) {
    PyObject *mention, *decimal, *zero_value, *units, *aliases;
    if (!PyArg_ParseTuple(args, "O!OOO!O!", &PyType_Type, &mention, &decimal, &zero_value, &PyTuple_Type, &units,
                          &PyDict_Type, &aliases))
        return NULL;
    if (!PyType_IsSubtype((PyTypeObject *)mention, &PyTuple_Type)) {
        PyErr_SetString(PyExc_TypeError, "Mention must be a tuple type");
        return NULL;
    }
    Py_ssize_t count = PyTuple_GET_SIZE(units);
    if (count > UNIT_LIMIT) {
        PyErr_SetString(PyExc_ValueError, "too many units");
        return NULL;
    }
    for (Py_ssize_t u = 0; u < count; u++) {
        PyObject *unit = PyTuple_GET_ITEM(units, u);
        if (!PyUnicode_Check(unit) || PyUnicode_GET_LENGTH(unit) == 0 || PyUnicode_GET_LENGTH(unit) > UNIT_MAX) {
            PyErr_SetString(PyExc_ValueError, "a unit must be a str of 1 to 8 characters");
            return NULL;
        }
        if (u > 0 && PyUnicode_GET_LENGTH(unit) > unit_lengths[u - 1]) {
            PyErr_SetString(PyExc_ValueError, "units must come longest first");
            return NULL;
        }
        PyObject *name = PyDict_GetItemWithError(aliases, unit);
        if (name == NULL && PyErr_Occurred()) return NULL;
        name = name == NULL ? unit : name;
        unit_lengths[u] = PyUnicode_GET_LENGTH(unit);
        for (Py_ssize_t i = 0; i < unit_lengths[u]; i++) unit_chars[u][i] = PyUnicode_READ_CHAR(unit, i);
        Py_INCREF(name);
        Py_XSETREF(unit_names[u], name);
    }
    unit_count = (int)count;
    fill_classes();
    Py_INCREF(mention);
    Py_INCREF(decimal);
    Py_INCREF(zero_value);
    Py_XSETREF(mention_type, (PyTypeObject *)mention);
    Py_XSETREF(decimal_type, decimal);
    Py_XSETREF(zero, zero_value);
    Py_RETURN_NONE;
}

static PyMethodDef methods[] = {
    {"configure", goalscan_configure, METH_VARARGS, "configure(Mention, Decimal, zero, units, aliases): what to build, the count units longest first."},
    {"contains_any", (PyCFunction)(void (*)(void))goalscan_contains_any, METH_FASTCALL,
     "contains_any(text, words) -> bool: whether one of the words occurs in text."},
    {"extract", goalscan_extract, METH_O, "extract(text) -> tuple of Mention: as textnum.extract_python."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module_def = {PyModuleDef_HEAD_INIT, "_goalscan", NULL, -1, methods};

PyMODINIT_FUNC PyInit__goalscan(void) {
    s_money = utf8("money");
    s_quantity = utf8("quantity");
    s_percent = utf8("percent");
    s_yuan = utf8("元");
    s_pct = utf8("%");
    s_item = utf8("item");
    s_total = utf8("total");
    s_unit_price = utf8("unit_price");
    s_month = utf8("月");
    s_quarter = utf8("季度");
    s_year = utf8("年");
    i_one = PyLong_FromLong(1);
    i_four = PyLong_FromLong(4);
    i_twelve = PyLong_FromLong(12);
    i_ten = PyLong_FromLong(10);
    i_hundred = PyLong_FromLong(100);
    i_thousand = PyLong_FromLong(1000);
    i_wan = PyLong_FromLong(10000);
    i_yi = PyLong_FromLong(100000000);
    if (!s_money || !s_quantity || !s_percent || !s_yuan || !s_pct || !s_item || !s_total || !s_unit_price ||
        !s_month || !s_quarter || !s_year || !i_one || !i_four || !i_twelve || !i_ten || !i_hundred ||
        !i_thousand || !i_wan || !i_yi)
        return NULL;
    for (int w = 0; w < TOTAL_COUNT; w++)
        if (code_points(TOTAL_WORDS[w], total_chars[w], 4, &total_lengths[w]) < 0) return NULL;
    return PyModule_Create(&module_def);
}
