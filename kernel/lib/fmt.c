/* Integer-only printf formatting engine shared by the console, the log and snprintf. */
#include <copra/fmt.h>
#include <copra/types.h>

struct fmt_spec {
	bool left, plus, space, zero, alt;
	int width;
	int prec; /* -1: none */
	int len;  /* 0 int, 1 long, 2 long long, -1 short, -2 char, 3 size_t/intmax/ptrdiff */
};

struct fmt_out {
	fmt_sink_fn sink;
	void *arg;
	int count;
};

static void fmt_emit(struct fmt_out *o, const char *s, size_t n)
{
	if (n) {
		o->sink(o->arg, s, n);
		o->count += (int)n;
	}
}

static void fmt_pad(struct fmt_out *o, char c, int n)
{
	char buf[16];
	int i;

	for (i = 0; i < (int)sizeof(buf); i++)
		buf[i] = c;
	while (n > 0) {
		int k = n > (int)sizeof(buf) ? (int)sizeof(buf) : n;

		fmt_emit(o, buf, (size_t)k);
		n -= k;
	}
}

static const char *fmt_parse_spec(const char *p, struct fmt_spec *s, va_list *ap)
{
	s->left = s->plus = s->space = s->zero = s->alt = false;
	s->width = 0;
	s->prec = -1;
	s->len = 0;
	for (;; p++) {
		if (*p == '-')
			s->left = true;
		else if (*p == '+')
			s->plus = true;
		else if (*p == ' ')
			s->space = true;
		else if (*p == '0')
			s->zero = true;
		else if (*p == '#')
			s->alt = true;
		else
			break;
	}
	if (*p == '*') {
		s->width = va_arg(*ap, int);
		if (s->width < 0) {
			s->left = true;
			s->width = -s->width;
		}
		p++;
	} else {
		while (*p >= '0' && *p <= '9' && s->width < 10000)
			s->width = s->width * 10 + (*p++ - '0');
	}
	if (*p == '.') {
		p++;
		s->prec = 0;
		if (*p == '*') {
			s->prec = va_arg(*ap, int);
			if (s->prec < 0)
				s->prec = -1;
			p++;
		} else {
			while (*p >= '0' && *p <= '9' && s->prec < 10000)
				s->prec = s->prec * 10 + (*p++ - '0');
		}
	}
	if (*p == 'h') {
		s->len = (p[1] == 'h') ? -2 : -1;
		p += (p[1] == 'h') ? 2 : 1;
	} else if (*p == 'l') {
		s->len = (p[1] == 'l') ? 2 : 1;
		p += (p[1] == 'l') ? 2 : 1;
	} else if (*p == 'z' || *p == 'j' || *p == 't') {
		s->len = 3;
		p++;
	}
	return p;
}

static u64 fmt_get_unsigned(const struct fmt_spec *s, va_list *ap)
{
	switch (s->len) {
	case -2: return (unsigned char)va_arg(*ap, unsigned int);
	case -1: return (unsigned short)va_arg(*ap, unsigned int);
	case 0: return va_arg(*ap, unsigned int);
	case 1: return va_arg(*ap, unsigned long);
	default: return va_arg(*ap, unsigned long long);
	}
}

static s64 fmt_get_signed(const struct fmt_spec *s, va_list *ap)
{
	switch (s->len) {
	case -2: return (signed char)va_arg(*ap, int);
	case -1: return (short)va_arg(*ap, int);
	case 0: return va_arg(*ap, int);
	case 1: return va_arg(*ap, long);
	default: return va_arg(*ap, long long);
	}
}

static void fmt_number(struct fmt_out *o, const struct fmt_spec *s, u64 v, bool neg,
		       unsigned base, bool upper, const char *prefix)
{
	const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	char buf[24];
	int n = 0, zeros, pad, plen;
	char sign = 0;

	while (v) {
		buf[n++] = digits[v % base];
		v /= base;
	}
	if (s->prec != 0 && n == 0)
		buf[n++] = '0';
	if (neg)
		sign = '-';
	else if (s->plus)
		sign = '+';
	else if (s->space)
		sign = ' ';
	plen = (prefix ? 2 : 0) + (sign ? 1 : 0);
	zeros = s->prec > n ? s->prec - n : 0;
	pad = s->width - n - zeros - plen;
	if (s->zero && !s->left && s->prec < 0 && pad > 0) {
		zeros += pad;
		pad = 0;
	}
	if (!s->left)
		fmt_pad(o, ' ', pad);
	if (sign)
		fmt_emit(o, &sign, 1);
	if (prefix)
		fmt_emit(o, prefix, 2);
	fmt_pad(o, '0', zeros);
	while (n > 0)
		fmt_emit(o, &buf[--n], 1);
	if (s->left)
		fmt_pad(o, ' ', pad);
}

static void fmt_string(struct fmt_out *o, const struct fmt_spec *s, const char *str)
{
	size_t n = 0;
	int pad;

	if (!str)
		str = "(null)";
	while (str[n] && (s->prec < 0 || n < (size_t)s->prec))
		n++;
	pad = s->width > (int)n ? s->width - (int)n : 0;
	if (!s->left)
		fmt_pad(o, ' ', pad);
	fmt_emit(o, str, n);
	if (s->left)
		fmt_pad(o, ' ', pad);
}

static void fmt_conversion(struct fmt_out *o, struct fmt_spec *s, char c, va_list *ap)
{
	char ch;
	s64 sv;
	u64 uv;

	switch (c) {
	case 'd':
	case 'i':
		sv = fmt_get_signed(s, ap);
		uv = sv < 0 ? (u64)0 - (u64)sv : (u64)sv;
		fmt_number(o, s, uv, sv < 0, 10, false, NULL);
		break;
	case 'u':
		fmt_number(o, s, fmt_get_unsigned(s, ap), false, 10, false, NULL);
		break;
	case 'o':
		fmt_number(o, s, fmt_get_unsigned(s, ap), false, 8, false, NULL);
		break;
	case 'x':
	case 'X':
		uv = fmt_get_unsigned(s, ap);
		fmt_number(o, s, uv, false, 16, c == 'X',
			   (s->alt && uv) ? (c == 'X' ? "0X" : "0x") : NULL);
		break;
	case 'p':
		uv = (u64)(uintptr_t)va_arg(*ap, void *);
		s->plus = s->space = false;
		fmt_number(o, s, uv, false, 16, false, "0x");
		break;
	case 'c':
		ch = (char)va_arg(*ap, int);
		s->prec = 1;
		fmt_pad(o, ' ', s->left ? 0 : s->width - 1);
		fmt_emit(o, &ch, 1);
		fmt_pad(o, ' ', s->left ? s->width - 1 : 0);
		break;
	case 's':
		fmt_string(o, s, va_arg(*ap, const char *));
		break;
	case '%':
		fmt_emit(o, "%", 1);
		break;
	default: /* unknown: print it as written */
		fmt_emit(o, "%", 1);
		if (c)
			fmt_emit(o, &c, 1);
		break;
	}
}

int fmt_vformat(fmt_sink_fn sink, void *arg, const char *fmt, va_list ap)
{
	struct fmt_out o = { sink, arg, 0 };
	struct fmt_spec s;
	va_list aq;
	const char *p = fmt;

	va_copy(aq, ap);
	while (*p) {
		const char *start = p;

		while (*p && *p != '%')
			p++;
		fmt_emit(&o, start, (size_t)(p - start));
		if (!*p)
			break;
		p = fmt_parse_spec(p + 1, &s, &aq);
		fmt_conversion(&o, &s, *p, &aq);
		if (*p)
			p++;
	}
	va_end(aq);
	return o.count;
}

struct fmt_buf {
	char *buf;
	size_t size, pos;
};

static void fmt_buf_sink(void *arg, const char *s, size_t n)
{
	struct fmt_buf *b = arg;
	size_t i;

	for (i = 0; i < n; i++) {
		if (b->pos + 1 < b->size)
			b->buf[b->pos] = s[i];
		b->pos++;
	}
}

int fmt_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	struct fmt_buf b = { buf, size, 0 };
	int n = fmt_vformat(fmt_buf_sink, &b, fmt, ap);

	if (size)
		buf[b.pos < size ? b.pos : size - 1] = '\0';
	return n;
}

int fmt_snprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = fmt_vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}
