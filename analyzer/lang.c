/*
 * lang.c — guess the language of a post from its function words.
 *
 * Every language's most frequent short words (articles, pronouns,
 * conjunctions, auxiliaries) make up a large share of any running text and
 * almost none of them are shared between the languages here, so counting
 * them decides quickly and needs no model.  A table, one row per language;
 * the words are chosen to be frequent in their language and rare in the
 * others (English "the", German "und", French "les", Spanish "los", Dutch
 * "het"); a few words belonging to two rows only make the margin smaller.
 *
 * We answer only when sure: a text needs MIN_WORDS words, the best
 * language MIN_HITS hits and a clear lead over the runner-up; otherwise
 * NULL (titles alone, code, lists of names).
 */
#include "analyzer/analyzer.h"

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

/* Look at this much of a long text: enough for any decision. */
#define SCAN_BYTES (16 * 1024)
#define MAX_WORD 12		/* longer words are not function words */
#define MIN_WORDS 8
#define MIN_HITS 3

struct lang_row {
	const char *lang;
	const char *words;	/* space-separated, with a space at each end */
};

static const struct lang_row langs[] = {
	{ "en", " the and of to is that for it with as on are be this have "
		"from or by not but what all were when we there can an your "
		"which their has would if its more about been they he she "
		"them than my who our had these do does those into only how "
		"then just because you i me very some any could should "
		"here after over out up " },
	{ "de", " der die das und ist nicht ich sie mit den dem des ein "
		"eine einen einem einer auch auf für wir ihr wie aber oder "
		"wenn noch nur sich von zu im bei sind hat haben werden wird "
		"dass daß nach aus kann mehr schon sehr über diese dieser "
		"unter zum zur wurde uns euch mich mir doch immer gibt keine "
		"kein jetzt hier " },
	{ "fr", " le la les et est des une du qui dans pour pas sur au avec "
		"il elle ce cette sont ont mais nous vous leur plus ou être "
		"fait comme tout aux ses son je très aussi été peut sans " },
	{ "es", " el los las y del por con para pero sus más también muy "
		"esta este hay fue cuando como una al ya sobre entre ser está "
		"son tiene puede hace sin desde porque todo yo " },
	{ "nl", " het een van dat op te zijn met voor niet aan er om ook "
		"als bij door maar dan nog wordt naar kan worden deze heeft "
		"hebben geen uit ik je wij zij hun mijn omdat " },
};

#define NLANGS (sizeof(langs) / sizeof(*langs))

/* Letters of a word: ASCII letters and any byte of a multi-byte UTF-8
 * sequence (ä, é, ß ...), so words with accents stay whole. */
static bool
is_word_byte(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c >= 0x80;
}

/* is_word_byte as a table (built with the slots): the scan asks it for
 * every byte of the text. */
static bool word_bytes[256];

static bool
word_byte(unsigned char c)
{
	return word_bytes[c];
}

/*
 * The rows as one hash set, word -> the languages listing it, built once:
 * a lookup per word instead of a search through every row.
 */
#define SLOTS 1024	/* a power of two, over twice the words */

static struct {
	char word[MAX_WORD + 1];
	uint8_t len;
	uint8_t langs;	/* bit l: langs[l] lists the word */
} slots[SLOTS];
static pthread_once_t slots_once = PTHREAD_ONCE_INIT;

/*
 * Most words of a text are no function word, and most of those differ
 * from every listed word of their length in the first or the last byte:
 * a bit per (length, first byte) and (length, last byte) of the listed
 * words turns them away before they are folded and hashed.  Only a word
 * that cannot be in the table is turned away, so the counts are the same.
 */
static uint64_t first_bytes[MAX_WORD + 1][4], last_bytes[MAX_WORD + 1][4];

static void
shape_add(uint64_t set[4], unsigned char c)
{
	set[c / 64] |= 1ull << (c % 64);
}

static uint32_t
word_hash(const char *w, size_t n)
{
	uint32_t h = 2166136261u;	/* FNV-1a */

	for (size_t i = 0; i < n; i++)
		h = (h ^ (unsigned char)w[i]) * 16777619u;
	return h;
}

static void
slots_build(void)
{
	for (unsigned c = 0; c < 256; c++)
		word_bytes[c] = is_word_byte((unsigned char)c);
	for (size_t l = 0; l < NLANGS; l++) {
		const char *p = langs[l].words;

		for (;;) {
			size_t n, s;

			while (*p == ' ')
				p++;
			if (!*p)
				break;
			n = strcspn(p, " ");
			if (n <= MAX_WORD) {
				s = word_hash(p, n) & (SLOTS - 1);
				while (slots[s].langs &&
				       (slots[s].len != n ||
					memcmp(slots[s].word, p, n)))
					s = (s + 1) & (SLOTS - 1);
				memcpy(slots[s].word, p, n);
				slots[s].len = (uint8_t)n;
				slots[s].langs |= (uint8_t)(1u << l);
				shape_add(first_bytes[n], (unsigned char)p[0]);
				shape_add(last_bytes[n],
					  (unsigned char)p[n - 1]);
			}
			p += n;
		}
	}
}

static uint8_t
word_langs(const char *w, size_t n)
{
	size_t s = word_hash(w, n) & (SLOTS - 1);

	while (slots[s].langs) {
		if (slots[s].len == n && !memcmp(slots[s].word, w, n))
			return slots[s].langs;
		s = (s + 1) & (SLOTS - 1);
	}
	return 0;
}

/*
 * Byte i of word w lower-cased: ASCII, and the Latin-1 capitals
 * U+00C0..U+00DE (UTF-8 C3 80..9E, not the × sign), which covers the
 * capitals of these languages.
 */
static unsigned char
fold_at(const unsigned char *w, size_t i)
{
	unsigned char c = w[i];

	if (c >= 'A' && c <= 'Z')
		return (unsigned char)(c + 32);
	if (i > 0 && w[i - 1] == 0xc3 && c >= 0x80 && c <= 0x9e && c != 0x97)
		return (unsigned char)(c + 0x20);
	return c;
}

/* Lower-case one word into out (n bytes). */
static void
fold_word(const unsigned char *w, size_t n, char *out)
{
	for (size_t i = 0; i < n; i++)
		out[i] = (char)fold_at(w, i);
}

static bool
shape_has(const uint64_t set[4], unsigned char c)
{
	return set[c / 64] >> (c % 64) & 1;
}

static bool
may_be_listed(const unsigned char *w, size_t n)
{
	return shape_has(first_bytes[n], fold_at(w, 0)) &&
	       shape_has(last_bytes[n], fold_at(w, n - 1));
}

const char *
ms_lang_detect(const char *text, size_t len)
{
	const unsigned char *p = (const unsigned char *)text;
	unsigned hits[NLANGS] = { 0 };
	unsigned words = 0;
	size_t best = 0, second = 0;
	char key[MAX_WORD];
	uint8_t in;

	if (!text)
		return NULL;
	pthread_once(&slots_once, slots_build);
	if (len > SCAN_BYTES)
		len = SCAN_BYTES;
	for (size_t i = 0; i < len;) {
		size_t start;

		while (i < len && !word_byte(p[i]))
			i++;
		start = i;
		while (i < len && word_byte(p[i]))
			i++;
		if (i == start)
			break;
		words++;
		if (i - start > MAX_WORD ||
		    !may_be_listed(p + start, i - start))
			continue;
		fold_word(p + start, i - start, key);
		in = word_langs(key, i - start);
		for (size_t l = 0; l < NLANGS; l++)
			hits[l] += in >> l & 1;
	}
	for (size_t l = 1; l < NLANGS; l++)
		if (hits[l] > hits[best])
			best = l;
	second = best == 0 ? 1 : 0;
	for (size_t l = 0; l < NLANGS; l++)
		if (l != best && hits[l] > hits[second])
			second = l;
	if (words < MIN_WORDS || hits[best] < MIN_HITS)
		return NULL;
	/* A clear lead: at least twice the runner-up's hits. */
	if (hits[best] < 2 * hits[second])
		return NULL;
	return langs[best].lang;
}
