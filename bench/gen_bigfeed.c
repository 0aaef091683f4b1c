/*
 * gen_bigfeed.c — write a large RSS 2.0 feed for the parse benchmark: the
 * markup a WordPress blog serves (dc:creator, categories, a permalink-less
 * guid, an excerpt in <description>, the post in content:encoded, wfw and
 * slash comment extensions), with HTML content of the usual shape:
 * paragraphs of prose with a few links, emphasis, now and then a list, a
 * quote or an image, and some non-ASCII text.
 *
 * Deterministic: the same arguments give the same bytes (xorshift64*
 * with a fixed seed), so runs and machines compare.
 *
 *   gen_bigfeed [-n ITEMS] [-s SEED] [-o FILE]     (defaults 20000, 1, stdout)
 *
 * 20,000 items come to about 30 MB.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define NELEM(a) (sizeof(a) / sizeof(*(a)))

static uint64_t rng_state;

static uint64_t
rng(void)
{
	uint64_t x = rng_state;

	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	rng_state = x;
	return x * 0x2545f4914f6cdd1dull;
}

/* A number in [lo, hi]. */
static unsigned
pick(unsigned lo, unsigned hi)
{
	return lo + (unsigned)(rng() % (uint64_t)(hi - lo + 1));
}

static const char *const words[] = {
	"the", "of", "and", "to", "a", "in", "is", "that", "for", "it", "as",
	"with", "was", "on", "be", "by", "this", "are", "or", "from", "at",
	"an", "but", "not", "have", "we", "you", "they", "can", "which",
	"their", "more", "when", "what", "about", "how", "people", "work",
	"team", "teams", "manager", "managers", "leadership", "feedback",
	"career", "mentor", "mentoring", "hiring", "interview", "culture",
	"remote", "onboarding", "performance", "review", "goals", "growth",
	"learning", "skills", "coaching", "meeting", "meetings", "project",
	"projects", "product", "design", "engineering", "software", "data",
	"question", "answer", "advice", "network", "community", "blog",
	"post", "writing", "reading", "story", "stories", "change", "time",
	"year", "years", "week", "first", "new", "good", "better", "best",
	"simple", "hard", "small", "large", "open", "honest", "clear",
	"often", "always", "never", "sometimes", "really", "just", "still",
	"because", "although", "however", "therefore", "instead", "without",
	"between", "through", "during", "before", "after", "while", "every",
	"each", "many", "most", "some", "other", "another", "same", "own",
	"trust", "conversation", "conversations", "decision", "decisions",
	"salary", "promotion", "burnout", "balance", "focus", "habit",
	"habits", "process", "processes", "tool", "tools", "practice",
	"practices", "example", "examples", "lesson", "lessons", "mistake",
	"mistakes", "success", "failure", "plan", "strategy", "company",
	"companies", "startup", "customer", "customers", "value", "values",
	"caf\xc3\xa9", "na\xc3\xafve", "Z\xc3\xbcrich", "M\xc3\xbcnchen",
	"Mitarbeiterf\xc3\xbchrung", "r\xc3\xa9sum\xc3\xa9",
	"d\xc3\xa9j\xc3\xa0",
	"\xe2\x80\x9cgood\xe2\x80\x9d", "don\xe2\x80\x99t", "it\xe2\x80\x99s",
};

static const char *const names[] = {
	"Alice Martin", "Bob Keller", "Carla Rossi", "David Chen",
	"Eva M\xc3\xbcller", "Frank O'Neill", "Grace Hopper", "Hans Schmidt",
	"Ines Garc\xc3\xad" "a", "Jonas Berg", "Kim Nguyen", "Laura Weber",
	"Marta Nowak", "Nils Johansson", "Olivia Brown", "Pierre Dubois",
	"Quinn Taylor", "Rosa Fern\xc3\xa1ndez", "Sam Patel", "Tina Novak",
	"Uwe Becker", "Vera Ivanova", "Will Jones", "Xenia Petrova",
	"Yusuf Demir", "Zoe Clarke",
};

static const char *const categories[] = {
	"Leadership", "Management", "Career", "Hiring", "Remote Work",
	"Engineering", "Culture", "Mentoring", "Feedback", "Productivity",
	"HR", "Personalf\xc3\xbchrung", "Onboarding", "Writing", "Startups",
	"Uncategorized",
};

static const char *const hosts[] = {
	"en.wikipedia.org", "github.com", "news.ycombinator.com",
	"www.linkedin.com", "twitter.com", "medium.com", "hbr.org",
	"www.nytimes.com", "martinfowler.com", "jvns.ca", "lethain.com",
	"randsinrepose.com", "www.manager-tools.com", "blog.example.org",
};

static const char *const months[] = {
	"Jan", "Feb", "Mar", "Apr", "May", "Jun",
	"Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
};

static const char *const days[] = { "Sun", "Mon", "Tue", "Wed", "Thu",
				    "Fri", "Sat" };

static FILE *out;

static void
w(const char *s)
{
	fputs(s, out);
}

static void
word(void)
{
	w(words[pick(0, NELEM(words) - 1)]);
}

/* n words, separated by spaces. */
static void
text(unsigned n)
{
	for (unsigned i = 0; i < n; i++) {
		if (i)
			w(" ");
		word();
	}
}

static void
sentence(void)
{
	unsigned n = pick(5, 15);
	const char *first = words[pick(0, NELEM(words) - 1)];

	fputc(first[0] >= 'a' && first[0] <= 'z' ? first[0] - 32 : first[0],
	      out);
	w(first + 1);
	w(" ");
	text(n - 1);
	w(pick(0, 9) ? ". " : "? ");
}

static void
anchor(void)
{
	fprintf(out, "<a href=\"https://%s/%s/%u\">",
		hosts[pick(0, NELEM(hosts) - 1)],
		words[pick(0, 80)], pick(1, 99999));
	text(pick(1, 4));
	w("</a>");
}

/* A paragraph of prose: sentences, now and then a link or emphasis. */
static void
paragraph(void)
{
	unsigned n = pick(2, 3);

	w("<p>");
	for (unsigned i = 0; i < n; i++) {
		sentence();
		switch (pick(0, 9)) {
		case 0:
		case 1:
			anchor();
			w(" ");
			break;
		case 2:
			w("<em>");
			text(pick(1, 3));
			w("</em> ");
			break;
		case 3:
			w("<strong>");
			text(pick(1, 3));
			w("</strong> ");
			break;
		default:
			break;
		}
	}
	w("</p>\n");
}

static void
content(unsigned post)
{
	unsigned n = pick(2, 3);

	for (unsigned i = 0; i < n; i++) {
		paragraph();
		switch (pick(0, 19)) {
		case 0:
			w("<ul>\n");
			for (unsigned j = pick(2, 4); j; j--) {
				w("<li>");
				text(pick(3, 8));
				w("</li>\n");
			}
			w("</ul>\n");
			break;
		case 1:
			w("<blockquote><p>");
			sentence();
			w("</p></blockquote>\n");
			break;
		case 2:
			fprintf(out, "<p><img class=\"aligncenter size-large "
				"wp-image-%u\" src=\"https://blog.example.com/"
				"wp-content/uploads/2010/06/photo-%u.jpg\" "
				"alt=\"\" width=\"640\" height=\"480\" "
				"/></p>\n",
				post, post);
			break;
		default:
			break;
		}
	}
}

static void
item(unsigned i)
{
	unsigned blog = pick(1, 40), year = 2010 + pick(0, 13),
		 mon = pick(1, 12), day = pick(1, 28), ncat = pick(1, 3);
	char slug[64], base[160];

	snprintf(slug, sizeof(slug), "%s-%s-%u", words[pick(30, 80)],
		 words[pick(30, 80)], i);
	snprintf(base, sizeof(base),
		 "https://blog%u.example.com/%u/%02u/%02u/%s/", blog, year,
		 mon, day, slug);
	w("\t<item>\n\t\t<title>");
	text(pick(3, 9));
	fprintf(out, "</title>\n\t\t<link>%s</link>\n", base);
	fprintf(out, "\t\t<comments>%s#comments</comments>\n", base);
	fprintf(out, "\t\t<dc:creator><![CDATA[%s]]></dc:creator>\n",
		names[pick(0, NELEM(names) - 1)]);
	fprintf(out, "\t\t<pubDate>%s, %02u %s %u %02u:%02u:%02u +0000"
		"</pubDate>\n", days[pick(0, 6)], day, months[mon - 1], year,
		pick(0, 23), pick(0, 59), pick(0, 59));
	/* Distinct categories, as WordPress lists them. */
	for (unsigned c = 0, first = pick(0, NELEM(categories) - 1); c < ncat;
	     c++)
		fprintf(out, "\t\t<category><![CDATA[%s]]></category>\n",
			categories[(first + c * 5) % NELEM(categories)]);
	fprintf(out, "\t\t<guid isPermaLink=\"false\">https://blog%u.example"
		".com/?p=%u</guid>\n", blog, i + 1000);
	w("\t\t<description><![CDATA[");
	text(pick(25, 40));
	w(" [&#8230;]]]></description>\n\t\t<content:encoded><![CDATA[");
	content(i);
	w("]]></content:encoded>\n");
	fprintf(out, "\t\t<wfw:commentRss>%sfeed/</wfw:commentRss>\n", base);
	fprintf(out, "\t\t<slash:comments>%u</slash:comments>\n",
		pick(0, 40));
	w("\t</item>\n");
}

int
main(int argc, char **argv)
{
	unsigned long n = 20000, seed = 1;
	const char *path = NULL;
	int c;

	while ((c = getopt(argc, argv, "n:s:o:")) != -1) {
		switch (c) {
		case 'n': n = strtoul(optarg, NULL, 10); break;
		case 's': seed = strtoul(optarg, NULL, 10); break;
		case 'o': path = optarg; break;
		default:
			fprintf(stderr, "usage: gen_bigfeed [-n ITEMS] "
				"[-s SEED] [-o FILE]\n");
			return 2;
		}
	}
	rng_state = 0x9e3779b97f4a7c15ull ^ (seed * 0xbf58476d1ce4e5b9ull);
	if (!rng_state)
		rng_state = 1;
	out = path ? fopen(path, "w") : stdout;
	if (!out) {
		fprintf(stderr, "gen_bigfeed: cannot write '%s': %s\n", path,
			strerror(errno));
		return 1;
	}
	w("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	  "<rss version=\"2.0\"\n"
	  "\txmlns:content=\"http://purl.org/rss/1.0/modules/content/\"\n"
	  "\txmlns:wfw=\"http://wellformedweb.org/CommentAPI/\"\n"
	  "\txmlns:dc=\"http://purl.org/dc/elements/1.1/\"\n"
	  "\txmlns:atom=\"http://www.w3.org/2005/Atom\"\n"
	  "\txmlns:sy=\"http://purl.org/rss/1.0/modules/syndication/\"\n"
	  "\txmlns:slash=\"http://purl.org/rss/1.0/modules/slash/\"\n"
	  ">\n<channel>\n"
	  "\t<title>People, Teams and Careers</title>\n"
	  "\t<atom:link href=\"https://blog.example.com/feed/\" rel=\"self\" "
	  "type=\"application/rss+xml\" />\n"
	  "\t<link>https://blog.example.com</link>\n"
	  "\t<description>Notes on leading teams</description>\n"
	  "\t<lastBuildDate>Mon, 01 Jan 2024 10:00:00 +0000</lastBuildDate>\n"
	  "\t<language>en-US</language>\n"
	  "\t<sy:updatePeriod>hourly</sy:updatePeriod>\n"
	  "\t<sy:updateFrequency>1</sy:updateFrequency>\n"
	  "\t<generator>https://wordpress.org/?v=6.4.2</generator>\n");
	for (unsigned long i = 0; i < n; i++)
		item((unsigned)i);
	w("</channel>\n</rss>\n");
	if (fflush(out) || ferror(out) || (path && fclose(out))) {
		fprintf(stderr, "gen_bigfeed: write error: %s\n",
			strerror(errno));
		return 1;
	}
	return 0;
}
