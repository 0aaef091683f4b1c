/*
 * genweb_text.c — the words of the sample web: names, the topics with the
 * phrases the default taxonomy matches (English and German), and the
 * templates titles, posts and comments are built from.  Tables, so a new
 * topic or phrase is one row; every choice draws from the caller's seeded
 * stream, so the text is deterministic.
 *
 * Templates use %K (a topic phrase), %A (a subject of the topic), %N (a
 * small number), %Y (a year), %C (the name answered), %P (a person) and
 * %L (a link).
 */
#include "tests/server/genweb_int.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#define N(a) (sizeof(a) / sizeof((a)[0]))
#define L(...) ((const char *const[]){__VA_ARGS__, NULL})

/* In the order of the default taxonomy. */
const struct gw_topic gw_topics[GW_NTOPICS] = {
    {"hr",
     {"HR", "Personal"},
     {L("HR", "human resources", "people operations", "HR work",
	"personnel management"),
      L("HR", "Personalabteilung", "Personalarbeit", "Personalwesen",
	"Personaler")},
     {L("onboarding", "performance reviews", "exit interviews",
	"hybrid work policies", "pay transparency", "employee handbooks"),
      L("Onboarding", "Mitarbeitergespräche", "Arbeitszeugnisse",
	"Hybridarbeit", "Gehaltstransparenz", "Betriebsvereinbarungen")}},
    {"recruiting",
     {"Recruiting", "Recruiting"},
     {L("recruiting", "hiring", "talent acquisition", "recruitment"),
      L("Recruiting", "Personalgewinnung", "Bewerber", "Vorstellungsgespräche",
	"Stellenanzeigen")},
     {L("candidate experience", "job ads", "structured interviews",
	"referral programs", "sourcing", "employer branding"),
      L("Candidate Experience", "Stellenanzeigen", "Interviewleitfäden",
	"Mitarbeiterempfehlungen", "Active Sourcing", "Employer Branding")}},
    {"leadership",
     {"Leadership", "Führung"},
     {L("leadership", "team leadership", "people leadership"),
      L("Führung", "Führungskräfte", "Mitarbeiterführung", "Leadership")},
     {L("difficult conversations", "delegation", "trust", "feedback",
	"decision making", "first-time managers"),
      L("Konfliktgespräche", "Delegation", "Vertrauen", "Feedback",
	"Entscheidungen", "Führungswechsel")}},
    {"management",
     {"Management", "Management"},
     {L("management", "line management", "middle management",
	"project management"),
      L("Management", "Manager", "Unternehmensführung", "Projektmanagement")},
     {L("one-on-ones", "OKRs", "meetings", "prioritisation", "budgets",
	"team rituals"),
      L("Einzelgespräche", "OKRs", "Meetings", "Priorisierung", "Budgets",
	"Teamrituale")}},
    {"mentoring",
     {"Mentoring", "Mentoring"},
     {L("mentoring", "mentorship", "peer mentoring"),
      L("Mentoring", "Mentoren", "Mentees", "Mentorinnen")},
     {L("reverse mentoring", "finding a mentor", "mentoring circles",
	"peer mentoring", "first meetings", "giving advice"),
      L("Reverse Mentoring", "Mentorensuche", "Mentoring-Programme",
	"Peer-Mentoring", "Erstgespräche", "Ratschläge")}},
    {"career",
     {"Career", "Karriere"},
     {L("career development", "career planning", "careers"),
      L("Karriere", "Berufseinstieg", "Jobwechsel", "Laufbahn")},
     {L("promotions", "switching industries", "salary negotiations",
	"side projects", "first jobs", "career breaks"),
      L("Beförderungen", "Branchenwechsel", "Gehaltsverhandlungen",
	"Nebenprojekte", "Berufsstart", "Auszeiten")}},
    {"coaching",
     {"Coaching", "Coaching"},
     {L("coaching", "executive coaching", "leadership coaching"),
      L("Coaching", "Coaches", "Business-Coaching", "Coach")},
     {L("powerful questions", "goal setting", "team coaching",
	"coaching contracts", "self-reflection", "resistance to change"),
      L("Coaching-Fragen", "Zielklärung", "Teamcoaching", "Coaching-Verträge",
	"Selbstreflexion", "Veränderungswiderstand")}},
    {"social-media",
     {"Social Media", "Social Media"},
     {L("social media", "social media work", "LinkedIn"),
      L("Social Media", "soziale Netzwerke", "LinkedIn", "Mastodon")},
     {L("posting schedules", "employee advocacy", "community guidelines",
	"hashtags", "analytics", "content calendars"),
      L("Redaktionspläne", "Corporate Influencer", "Community-Regeln",
	"Hashtags", "Kennzahlen", "Content-Kalender")}},
    {"networking",
     {"Networking", "Netzwerken"},
     {L("networking", "professional networking", "network building"),
      L("Netzwerken", "Networking", "berufliche Netzwerke", "Kontakte")},
     {L("conferences", "cold emails", "introverts", "follow-ups",
	"alumni groups", "coffee chats"),
      L("Konferenzen", "Kaltakquise", "Introversion", "Nachfassen",
	"Alumni-Netzwerke", "Kaffeegespräche")}},
    {"innovation",
     {"Innovation", "Innovation"},
     {L("innovation", "innovation work", "experimentation"),
      L("Innovation", "Innovationen", "neue Ideen", "Experimente")},
     {L("hackathons", "failure", "design thinking", "innovation labs",
	"prototyping", "idea management"),
      L("Hackathons", "Scheitern", "Design Thinking", "Innovationslabore",
	"Prototypen", "Ideenmanagement")}},
    {"entrepreneurship",
     {"Entrepreneurship", "Gründung"},
     {L("entrepreneurship", "startup life", "founding a company"),
      L("Gründer", "Startups", "Existenzgründung", "Unternehmertum")},
     {L("first hires", "bootstrapping", "pitch decks", "co-founders", "pricing",
	"burnout"),
      L("Ersteinstellungen", "Bootstrapping", "Pitch Decks", "Mitgründer",
	"Preisgestaltung", "Überlastung")}},
    {"learning",
     {"Learning", "Lernen"},
     {L("learning", "corporate learning", "e-learning", "training"),
      L("Lernen", "Weiterbildung", "E-Learning", "Lernkultur")},
     {L("learning budgets", "microlearning", "communities of practice",
	"learning journals", "workshops", "knowledge sharing"),
      L("Weiterbildungsbudgets", "Microlearning", "Lerngruppen",
	"Lerntagebücher", "Workshops", "Wissensaustausch")}},
    {"talent",
     {"Talent Management", "Talentmanagement"},
     {L("talent management", "succession planning", "talent development"),
      L("Talentmanagement", "Talente", "High Potentials", "Nachfolgeplanung")},
     {L("skills matrices", "internal mobility", "talent reviews",
	"career paths", "retention", "development plans"),
      L("Kompetenzmodelle", "Jobrotation", "Talentrunden", "Karrierepfade",
	"Bindungsprogramme", "Entwicklungspläne")}},
    {"employee-engagement",
     {"Employee Engagement", "Mitarbeiterbindung"},
     {L("employee engagement", "engagement work", "motivation"),
      L("Mitarbeiterbindung", "Mitarbeiterengagement", "Motivation",
	"Engagement")},
     {L("pulse surveys", "recognition", "purpose", "quiet quitting",
	"team events", "wellbeing"),
      L("Pulsbefragungen", "Wertschätzung", "Sinnfragen",
	"Dienst nach Vorschrift", "Teamevents", "Wohlbefinden")}},
    {"personal-branding",
     {"Personal Branding", "Personal Branding"},
     {L("personal branding", "thought leadership", "professional visibility"),
      L("Personal Branding", "Personal Brand", "Sichtbarkeit",
	"Selbstmarketing")},
     {L("writing in public", "speaking at events", "LinkedIn profiles",
	"newsletters", "authenticity", "finding a niche"),
      L("Blogartikel", "Vorträge", "LinkedIn-Profile", "Newsletter",
	"Authentizität", "Nischenthemen")}},
};

static const char *const first_en[] = {
    "Sarah",   "Michael", "Emily",   "James",	"Olivia", "David", "Laura",
    "Daniel",  "Rachel",  "Chris",   "Megan",	"Thomas", "Priya", "Kevin",
    "Hannah",  "Marcus",  "Jessica", "Ryan",	"Aisha",  "Brian", "Nicole",
    "Jason",   "Fatima",  "Eric",    "Rebecca", "Adam",	  "Grace", "Luis",
    "Natalie", "Sam",	  "Chloe",   "Omar",	"Julia",  "Ben",   "Maya",
    "Tyler",   "Zoe",	  "Victor",  "Alice",	"Raj",
};
static const char *const last_en[] = {
    "Miller", "Johnson", "Chen",    "Patel",   "Brooks", "Carter",   "Nguyen",
    "Foster", "Hughes",	 "Kim",	    "Murphy",  "Reed",	 "Shah",     "Turner",
    "Walsh",  "Young",	 "Bennett", "Coleman", "Diaz",	 "Ellis",    "Fisher",
    "Grant",  "Hayes",	 "Irwin",   "Jensen",  "Khan",	 "Lopez",    "Morgan",
    "Nolan",  "Owens",	 "Parker",  "Quinn",   "Russo",	 "Sullivan", "Thompson",
    "Vance",  "Webb",	 "Yates",   "Zimmer",  "Abbott",
};
static const char *const first_de[] = {
    "Anna",  "Lukas",	 "Sabine", "Thomas", "Katrin",	"Jan",
    "Julia", "Stefan",	 "Miriam", "Felix",  "Claudia", "Tobias",
    "Nina",  "Matthias", "Sandra", "Jonas",  "Petra",	"Florian",
    "Lena",  "Andreas",	 "Jana",   "Markus", "Birgit",	"Simon",
    "Carla", "Dirk",	 "Eva",	   "Henrik", "Ines",	"Jörg",
};
static const char *const last_de[] = {
    "Müller",	  "Schmidt", "Schneider", "Fischer",  "Weber",	 "Meyer",
    "Wagner",	  "Becker",  "Schulz",	  "Hoffmann", "Koch",	 "Richter",
    "Klein",	  "Wolf",    "Schröder",  "Neumann",  "Schwarz", "Braun",
    "Zimmermann", "Krüger",  "Hofmann",	  "Hartmann", "Lange",	 "Werner",
    "Krause",	  "Lehmann", "Köhler",	  "Maier",    "Huber",	 "Kaiser",
};

/* Names spam comments sign with (keyword names, as comment spam does). */
static const char *const spammer[] = {
    "Best HR Software", "HR Jobs Online",	"Cheap Recruiting Services",
    "Top Career Tips",	"HR Payroll Solutions", "Online HR Degree",
};

const char *
gw_first_name(enum gw_lang l, uint64_t *s)
{
	return l == GW_DE ? first_de[gw_below(s, N(first_de))]
			  : first_en[gw_below(s, N(first_en))];
}

const char *
gw_last_name(enum gw_lang l, uint64_t *s)
{
	return l == GW_DE ? last_de[gw_below(s, N(last_de))]
			  : last_en[gw_below(s, N(last_en))];
}

static size_t
count(const char *const *v)
{
	size_t n = 0;

	while (v[n])
		n++;
	return n;
}

/* Expand a template into out. */
struct slots {
	const char *k, *a, *c, *p, *l, *f, *t;
	int n, y;
};

static void
expand(struct ms_buf *out, const char *tpl, const struct slots *sl)
{
	const char *p;

	for (p = tpl; *p; p++) {
		const char *pc = strchr(p, '%');

		if (!pc || !pc[1]) {
			ms_buf_adds(out, p);
			return;
		}
		ms_buf_add(out, p, (size_t)(pc - p));
		p = pc;
		switch (*++p) {
		case 'K':
			ms_buf_adds(out, sl->k ? sl->k : "");
			break;
		case 'A':
			ms_buf_adds(out, sl->a ? sl->a : "");
			break;
		case 'C':
			ms_buf_adds(out, sl->c ? sl->c : "");
			break;
		case 'P':
			ms_buf_adds(out, sl->p ? sl->p : "");
			break;
		case 'L':
			ms_buf_adds(out, sl->l ? sl->l : "");
			break;
		case 'F':
			ms_buf_adds(out, sl->f ? sl->f : "");
			break;
		case 'T':
			ms_buf_adds(out, sl->t ? sl->t : "");
			break;
		case 'N':
			ms_buf_addf(out, "%d", sl->n);
			break;
		case 'Y':
			ms_buf_addf(out, "%d", sl->y);
			break;
		default:
			ms_buf_addc(out, *p);
			break;
		}
	}
}

/* The phrase and subject a post is about: drawn from the post's own seed,
 * so its title, body and comments agree. */
static void
pick_ka(int topic, int de, uint64_t seed, const char **k, const char **a)
{
	const struct gw_topic *t = &gw_topics[topic];
	uint64_t s = seed ^ 0x2545f4914f6cdd1dULL;

	*k = t->kw[de][gw_below(&s, (unsigned)count(t->kw[de]))];
	*a = t->aspect[de][gw_below(&s, (unsigned)count(t->aspect[de]))];
}

/* Upper-case the first letter when it is ASCII (titles). */
static void
capitalize(char *s)
{
	if (s[0] >= 'a' && s[0] <= 'z')
		s[0] = (char)(s[0] - 'a' + 'A');
}

void
gw_blog_title(const struct gw_blog *b, uint64_t *s, char **title,
	      char **tagline)
{
	static const char *const t_en[] = {
	    "%F %L",
	    "%F on %T",
	    "The %T Notebook",
	    "%T Matters",
	    "Notes from the %T Trenches",
	    "%F's %T Blog",
	    "Thinking about %T",
	    "Better %T",
	};
	static const char *const t_de[] = {
	    "%F %L",	   "%Fs %T-Blog",  "Notizen zum Thema %T",
	    "Das %T-Blog", "%T im Alltag", "Gedanken zum Thema %T",
	};
	static const char *const g_en[] = {
	    "Thoughts on %T and the people behind it",
	    "Practical notes on %T",
	    "Writing about %T since %Y",
	};
	static const char *const g_de[] = {
	    "Gedanken zum Thema %T und den Menschen dahinter",
	    "Praktische Notizen zum Thema %T",
	    "Ich schreibe seit %Y über %T",
	};
	static const char *const t_spam[] = {
	    /* one per ring member; %Y tells rings apart */
	    "Best HR Software %Y",    "HR Tips Online %Y",    "Top HR Jobs %Y",
	    "HR Recruiting Deals %Y", "Cheap HR Services %Y",
	};
	struct ms_buf tb = MS_BUF_INIT(1024), gb = MS_BUF_INIT(1024);
	struct slots sl = {0};
	int de = b->lang == GW_DE;

	sl.f = b->first;
	sl.p = b->last;
	sl.t = gw_topics[b->topic >= 0 ? b->topic : 0].label[de];
	sl.y = 2009 + (int)gw_below(s, 12);
	if (b->role == GW_SPAM) {
		sl.y = 2026 + b->ring;
		expand(&tb, t_spam[(size_t)b->member % N(t_spam)], &sl);
		expand(&gb, "Best HR tips, HR software, HR jobs and HR deals",
		       &sl);
	} else {
		const char *tpl = de ? t_de[gw_below(s, N(t_de))]
				     : t_en[gw_below(s, N(t_en))];
		const char *lastname = b->last;

		/* "%L" in a blog title is the last name, not a link. */
		sl.l = lastname;
		expand(&tb, tpl, &sl);
		expand(&gb,
		       de ? g_de[gw_below(s, N(g_de))]
			  : g_en[gw_below(s, N(g_en))],
		       &sl);
	}
	*title = ms_buf_detach(&tb, NULL);
	*tagline = ms_buf_detach(&gb, NULL);
}

char *
gw_post_title(enum gw_lang l, int topic, bool spam, uint64_t seed, uint64_t *s)
{
	static const char *const t_en[] = {
	    "What %A taught me about %K",
	    "%N lessons on %A",
	    "A practical guide to %A",
	    "Why we should talk more about %A",
	    "%K and %A: notes from this year",
	    "How we rethought %A",
	    "%N mistakes I made with %A",
	    "Ask me anything about %K",
	    "%K in %Y: three trends worth watching",
	    "The trouble with %A",
	    "Small steps towards better %A",
	    "Are we overthinking %A? Thoughts on %K",
	    "%A, revisited",
	    "What nobody tells you about %A",
	    "My %K reading list",
	    "Getting started with %A",
	};
	static const char *const t_de[] = {
	    "Was ich über %A gelernt habe",
	    "%N Erkenntnisse zu %A",
	    "Praxisleitfaden: %A",
	    "Warum das Thema %A unterschätzt wird",
	    "%K und %A: eine Zwischenbilanz",
	    "Wie wir das Thema %A neu gedacht haben",
	    "%N Fehler beim Thema %A",
	    "Fragen und Antworten zum Thema %K",
	    "%K %Y: drei Trends",
	    "%A: Was niemand erzählt",
	    "Erste Schritte: %A",
	    "Noch einmal: %A",
	    "Meine Leseliste zum Thema %K",
	    "%A im Praxistest",
	    "Gedanken zu %K und %A",
	};
	static const char *const off_en[] = {
	    "A weekend in Lisbon",	    "My sourdough experiment",
	    "Books I read this summer",	    "Why I finally fixed my bike",
	    "Notes from a long train ride", "Garden update",
	    "Three days on the coast",	    "On taking walks",
	};
	static const char *const off_de[] = {
	    "Ein Wochenende in Leipzig",
	    "Mein Sauerteig-Experiment",
	    "Bücher des Sommers",
	    "Endlich: das Fahrrad repariert",
	    "Notizen von einer langen Zugfahrt",
	    "Neues aus dem Garten",
	    "Drei Tage an der Küste",
	    "Über das Spazierengehen",
	};
	static const char *const t_spam[] = {
	    "Best HR Software %Y – Top %N HR Tools",
	    "Cheap HR Services Online: HR Recruiting HR Payroll",
	    "Top %N HR Jobs and HR Career Tips",
	    "HR Leadership HR Management HR Guide %Y",
	    "Best HR Recruiting Agency Deals %Y",
	    "HR Talent HR Engagement HR Tips Online (%N)",
	};
	struct ms_buf b = MS_BUF_INIT(1024);
	struct slots sl = {0};
	int de = l == GW_DE;
	char *out;

	sl.n = gw_range(s, 3, 9);
	sl.y = 2026 + (int)gw_below(s, 2);
	if (spam) {
		expand(&b, t_spam[gw_below(s, N(t_spam))], &sl);
	} else if (topic < 0) {
		ms_buf_adds(&b, de ? off_de[gw_below(s, N(off_de))]
				   : off_en[gw_below(s, N(off_en))]);
	} else {
		pick_ka(topic, de, seed, &sl.k, &sl.a);
		expand(&b,
		       de ? t_de[gw_below(s, N(t_de))]
			  : t_en[gw_below(s, N(t_en))],
		       &sl);
	}
	out = ms_buf_detach(&b, NULL);
	capitalize(out);
	return out;
}

/* --------------------------------------------------------- post text */

static const char *const body_en[] = {
    "Over the last few years I have spent a lot of time on %A, and it "
    "changed how I think about %K.",
    "Most organisations treat %A as an afterthought, yet in %K it is where "
    "trust is won or lost.",
    "Here is what worked for us, and what did not.",
    "The first step was embarrassingly simple: we asked people what they "
    "actually needed.",
    "If you work in %K, you have probably seen the same pattern.",
    "A colleague once told me that good %K is mostly about listening, and "
    "I did not believe her then.",
    "We tried three approaches to %A before one of them stuck.",
    "The numbers were less interesting than the conversations they "
    "started.",
    "Start small, write things down, and review them every quarter.",
    "None of this is new, but it is easy to forget when deadlines pile "
    "up.",
    "I would love to hear how you handle %A, so tell me in the comments.",
    "What surprised me most was how little success with %A depends on "
    "tools.",
    "For anyone new to %K, my advice is to find one person who has done "
    "it before and ask.",
    "The best %K people I know treat %A as a craft, not a checklist.",
    "We measured the effect for six months before drawing conclusions.",
    "There is no template for this; context matters more than best "
    "practice.",
};
static const char *const body_de[] = {
    "In den letzten Jahren habe ich viel Zeit mit dem Thema %A verbracht, "
    "und das hat meinen Blick auf %K verändert.",
    "Viele Unternehmen behandeln %A als Nebensache, dabei entscheidet sich "
    "genau hier, wie glaubwürdig das Thema %K ist.",
    "Hier ist, was bei uns funktioniert hat – und was nicht.",
    "Der erste Schritt war fast peinlich einfach: Wir haben die Leute "
    "gefragt, was sie wirklich brauchen.",
    "Wer im Bereich %K arbeitet, kennt dieses Muster vermutlich.",
    "Eine Kollegin sagte mir einmal, beim Thema %K gehe es vor allem ums "
    "Zuhören. Damals habe ich ihr nicht geglaubt.",
    "Wir haben drei Ansätze für %A ausprobiert, bevor einer funktioniert "
    "hat.",
    "Die Zahlen waren weniger spannend als die Gespräche, die sie "
    "ausgelöst haben.",
    "Klein anfangen, alles aufschreiben und jedes Quartal überprüfen.",
    "Nichts davon ist neu, aber im Tagesgeschäft gerät es schnell in "
    "Vergessenheit.",
    "Mich interessiert, wie ihr mit %A umgeht – schreibt es gern in die "
    "Kommentare.",
    "Am meisten überrascht hat mich, wie wenig der Erfolg beim Thema %A "
    "von Tools abhängt.",
    "Wer neu im Bereich %K ist, sollte sich jemanden suchen, der das schon "
    "einmal gemacht hat, und fragen.",
    "Die besten Leute im Bereich %K behandeln %A als Handwerk, nicht als "
    "Checkliste.",
    "Wir haben die Wirkung sechs Monate lang gemessen, bevor wir Schlüsse "
    "gezogen haben.",
    "Dafür gibt es keine Vorlage; der Kontext zählt mehr als jede Best "
    "Practice.",
};
_Static_assert(N(body_en) <= 32 && N(body_de) <= 32, "order[] in gw_post_html");

static const char *const off_body_en[] = {
    "It rained all weekend, which gave me time to finally write this "
    "down.",
    "The bakery around the corner has started selling rye bread again.",
    "I took the slow train on purpose and read two books on the way.",
    "My bike needed new brakes, so I learned to fit them myself.",
    "The garden is a mess, but the tomatoes did not seem to mind.",
    "We spent three days walking along the coast without checking email.",
    "Next month I want to try the recipe my neighbour keeps talking "
    "about.",
    "Sometimes a long walk is the best thinking tool I have.",
};
static const char *const off_body_de[] = {
    "Es hat das ganze Wochenende geregnet, also hatte ich endlich Zeit, "
    "das aufzuschreiben.",
    "Der Bäcker um die Ecke verkauft wieder Roggenbrot.",
    "Ich bin absichtlich mit dem langsamen Zug gefahren und habe unterwegs "
    "zwei Bücher gelesen.",
    "Mein Fahrrad brauchte neue Bremsen, also habe ich gelernt, sie selbst "
    "einzubauen.",
    "Der Garten ist ein Durcheinander, aber die Tomaten hat das nicht "
    "gestört.",
    "Wir sind drei Tage an der Küste gewandert, ohne E-Mails zu lesen.",
    "Nächsten Monat will ich das Rezept ausprobieren, von dem meine "
    "Nachbarin ständig erzählt.",
    "Manchmal ist ein langer Spaziergang das beste Denkwerkzeug, das ich "
    "habe.",
};
static const char *const spam_body[] = {
    "Looking for the best HR software? Our HR tools help every HR manager "
    "with HR recruiting, HR payroll and HR career planning.",
    "HR HR HR. Best HR deals %Y, cheap HR services online, top HR jobs.",
    "Click here for HR leadership, HR management and HR talent solutions.",
    "Human resources HR recruiting career coaching HR mentoring HR "
    "networking HR tips.",
    "Buy HR software online now, the best HR tools for HR teams in %Y.",
};
static const char *const link_en[] = {
    "%P wrote a thoughtful piece on this: %L.",
    "See also %L by %P.",
    "I keep coming back to %L (%P).",
    "%P made a similar point in %L.",
};
static const char *const home_en[] = {
    "%P writes about this regularly on %L.",
    "I also recommend %L by %P.",
};
static const char *const home_de[] = {
    "%P schreibt regelmäßig darüber auf %L.",
    "Empfehlenswert ist auch %L von %P.",
};
static const char *const link_de[] = {
    "%P hat dazu einen lesenswerten Beitrag geschrieben: %L.",
    "Siehe auch %L von %P.",
    "Immer wieder lesenswert: %L (%P).",
    "%P argumentiert ähnlich in %L.",
};

static void
esc_into(struct ms_buf *out, const char *s)
{
	for (;;) {
		size_t n = strcspn(s, "&<>\"");

		ms_buf_add(out, s, n);
		s += n;
		switch (*s) {
		case '&':
			ms_buf_adds(out, "&amp;");
			break;
		case '<':
			ms_buf_adds(out, "&lt;");
			break;
		case '>':
			ms_buf_adds(out, "&gt;");
			break;
		case '"':
			ms_buf_adds(out, "&quot;");
			break;
		default:
			return;
		}
		s++;
	}
}

/* One sentence from bank, expanded and escaped, into out. */
static void
sentence(struct ms_buf *out, const char *tpl, const struct slots *sl)
{
	struct ms_buf t = MS_BUF_INIT(4096);

	expand(&t, tpl, sl);
	esc_into(out, ms_buf_str(&t));
	ms_buf_release(&t);
}

/* The HTML for one link of post p: a sentence naming the author. */
static void
link_sentence(const struct gw_web *w, const struct gw_post *p, unsigned l,
	      uint64_t *s, struct ms_buf *out)
{
	const struct gw_blog *src = &w->blogs[p->blog];
	struct ms_buf a = MS_BUF_INIT(4096), t = MS_BUF_INIT(4096);
	const struct gw_blog *b;
	struct slots sl = {0};
	const char *tpl;

	if (l >= UINT32_MAX - w->nblogs) {
		b = &w->blogs[UINT32_MAX - l];
		ms_buf_addf(&a, "<a href=\"%s\">", b->home);
		esc_into(&a, b->title);
	} else {
		const struct gw_post *q = &w->posts[l];

		b = &w->blogs[q->blog];
		ms_buf_addf(&a, "<a href=\"%s\">", q->url);
		esc_into(&a, q->title);
	}
	ms_buf_adds(&a, "</a>");
	esc_into(&t, b->name);
	sl.p = ms_buf_str(&t);
	sl.l = ms_buf_str(&a);
	if (src->role == GW_SPAM)
		tpl = "More HR tips: %L";
	else if (l >= UINT32_MAX - w->nblogs)
		tpl = src->lang == GW_DE ? home_de[gw_below(s, N(home_de))]
					 : home_en[gw_below(s, N(home_en))];
	else if (src->lang == GW_DE)
		tpl = link_de[gw_below(s, N(link_de))];
	else
		tpl = link_en[gw_below(s, N(link_en))];
	/* The slots hold markup already escaped: expand without escaping. */
	expand(out, tpl, &sl);
	ms_buf_release(&a);
	ms_buf_release(&t);
}

void
gw_post_html(const struct gw_web *w, const struct gw_post *p,
	     struct ms_buf *out)
{
	const struct gw_blog *b = &w->blogs[p->blog];
	int de = b->lang == GW_DE;
	uint64_t s = p->seed ^ 0x5bd1e995ULL;
	const char *const *bank;
	struct slots sl = {0};
	size_t nbank, next_link = 0, next, order[32];
	int para, npara;

	sl.y = 2026;
	if (b->role == GW_SPAM) {
		bank = spam_body;
		nbank = N(spam_body);
	} else if (p->topic < 0) {
		bank = de ? off_body_de : off_body_en;
		nbank = de ? N(off_body_de) : N(off_body_en);
	} else {
		bank = de ? body_de : body_en;
		nbank = de ? N(body_de) : N(body_en);
		pick_ka(p->topic, de, p->seed, &sl.k, &sl.a);
	}
	/* Sentences in a shuffled order, so none repeats within a post
	 * until the bank is used up. */
	for (next = 0; next < nbank; next++)
		order[next] = next;
	for (next = nbank - 1; next > 0; next--) {
		size_t j = gw_below(&s, (unsigned)(next + 1)), t = order[next];

		order[next] = order[j];
		order[j] = t;
	}
	next = 0;
	npara = gw_range(&s, 3, 5);
	for (para = 0; para < npara; para++) {
		int i, n = gw_range(&s, 2, 3);

		ms_buf_adds(out, "<p>");
		for (i = 0; i < n; i++) {
			if (i)
				ms_buf_addc(out, ' ');
			/* Vary the phrase within the post, as people do. */
			if (p->topic >= 0 && b->role != GW_SPAM &&
			    gw_chance(&s, 0.3)) {
				const struct gw_topic *t = &gw_topics[p->topic];

				sl.k = t->kw[de][gw_below(
				    &s, (unsigned)count(t->kw[de]))];
			}
			sentence(out, bank[order[next++ % nbank]], &sl);
		}
		/* A second topic gets a sentence of its own. */
		if (para == 1 && p->topic2 >= 0 && b->role != GW_SPAM) {
			const struct gw_topic *t2 = &gw_topics[p->topic2];
			struct slots s2 = sl;

			s2.k = t2->kw[de][0];
			s2.a = t2->aspect[de][gw_below(
			    &s, (unsigned)count(t2->aspect[de]))];
			ms_buf_addc(out, ' ');
			sentence(out, bank[order[next++ % nbank]], &s2);
		}
		if (next_link < p->nlinks &&
		    (para >= 1 ||
		     npara - para <= (int)(p->nlinks - next_link))) {
			ms_buf_addc(out, ' ');
			link_sentence(w, p, p->links[next_link++], &s, out);
		}
		ms_buf_adds(out, "</p>\n");
	}
	while (next_link < p->nlinks) {
		ms_buf_adds(out, "<p>");
		link_sentence(w, p, p->links[next_link++], &s, out);
		ms_buf_adds(out, "</p>\n");
	}
}

/* ------------------------------------------------------------ comments */

static const char *const c_top_en[] = {
    "Great point about %A. In my team we tried something similar and it "
    "worked surprisingly well.",
    "Thanks for writing this, the part about %A really resonated with me.",
    "I see it a bit differently: in %K we often overestimate what %A can "
    "fix.",
    "How do you handle %A when the whole team is remote?",
    "Sharing this with my colleagues, we are discussing exactly this right "
    "now.",
    "Could you write more about %A? I am just starting out in %K.",
    "This matches my experience. The hardest part is keeping it going "
    "after the first month.",
    "Interesting read. Do you have any numbers on the effect?",
};
static const char *const c_top_de[] = {
    "Danke für den Beitrag! Das Thema %A kenne ich gut aus meinem Team.",
    "Spannend. Wie handhabt ihr %A, wenn alle im Homeoffice sind?",
    "Ich sehe das etwas anders: Im Bereich %K wird das Thema %A oft "
    "überschätzt.",
    "Genau diese Diskussion führen wir gerade auch. Teile ich gern mit den "
    "Kollegen.",
    "Kannst du mehr zu %A schreiben? Ich fange gerade erst im Bereich %K "
    "an.",
    "Deckt sich mit meiner Erfahrung. Schwierig ist vor allem, "
    "dranzubleiben.",
    "Interessant! Habt ihr Zahlen zur Wirkung?",
};
static const char *const c_reply_en[] = {
    "Thanks, %C! We started with a pilot of five people and grew from "
    "there.",
    "Good question, %C. I would start with one team and measure before "
    "rolling it out.",
    "%C, I agree, it depends a lot on the size of the company.",
    "Thank you, %C. I am planning a follow-up post on %A, stay tuned.",
    "@%C Happy it helped! Feel free to reach out if you want to compare "
    "notes.",
    "Fair point, %C. We learned that the hard way.",
};
static const char *const c_reply_de[] = {
    "Danke, %C! Wir haben mit einem kleinen Pilot angefangen.",
    "Gute Frage, %C. Ich würde mit einem Team anfangen und erst einmal "
    "messen.",
    "%C, da stimme ich zu – vieles hängt von der Unternehmensgröße ab.",
    "Danke dir, %C. Zu %A schreibe ich bald einen eigenen Beitrag.",
    "@%C Freut mich, dass es hilft! Melde dich gern, wenn du dich "
    "austauschen willst.",
};
static const char *const c_follow_en[] = {
    "Thanks for the quick answer!",
    "That helps, thank you.",
    "Looking forward to the follow-up!",
    "+1 to this, %C.",
    "%C, we had the same problem and a clear owner fixed it.",
};
static const char *const c_follow_de[] = {
    "Danke für die schnelle Antwort!",
    "Das hilft, danke.",
    "Bin gespannt auf den nächsten Beitrag!",
    "+1, %C.",
    "%C, das Problem hatten wir auch – eine klare Zuständigkeit hat "
    "geholfen.",
};
static const char *const c_spam[] = {
    "Nice post! Very informative. Check out the best HR software on my "
    "site.",
    "Great article, thanks for sharing!!! Visit my blog for HR jobs.",
    "I like this blog, keep posting. Cheap recruiting services online.",
    "Very nice. Top HR tips here.",
    "Wow, amazing content, thank you!",
};
static const char *const c_off_en[] = {
    "Lovely, thanks for sharing!",
    "That sounds wonderful.",
    "I did the same trip last year, enjoy!",
};
static const char *const c_off_de[] = {
    "Schön, danke fürs Teilen!",
    "Klingt wunderbar.",
    "Die Tour habe ich letztes Jahr auch gemacht, viel Spaß!",
};

const char *
gw_comment_author(const struct gw_web *w, const struct gw_comment *c, char *buf,
		  size_t bufsz, const char **url)
{
	uint64_t s;

	*url = NULL;
	switch (c->who) {
	case GW_BLOGGER_PERSON: {
		const struct gw_blog *b = &w->blogs[c->person];

		*url = b->home;
		snprintf(buf, bufsz, "%s", b->name);
		break;
	}
	case GW_SPAMMER:
		*url = w->blogs[c->person].home;
		snprintf(buf, bufsz, "%s",
			 spammer[(c->seed >> 8) % N(spammer)]);
		break;
	case GW_ANON:
	case GW_PROFILE: {
		enum gw_lang l = (c->person & 1) ? GW_DE : GW_EN;
		const char *f, *la;

		s = c->person;
		f = gw_first_name(l, &s);
		la = gw_last_name(l, &s);
		if (c->who == GW_ANON && (c->person & 6) == 0)
			snprintf(buf, bufsz, "%s", f);
		else if (c->who == GW_ANON)
			snprintf(buf, bufsz, "%s %.1s.", f, la);
		else
			snprintf(buf, bufsz, "%s %s", f, la);
		break;
	}
	}
	return buf;
}

void
gw_comment_text(const struct gw_web *w, const struct gw_comment *c,
		struct ms_buf *out)
{
	const struct gw_post *p = &w->posts[c->post];
	const struct gw_blog *b = &w->blogs[p->blog];
	int de = b->lang == GW_DE;
	uint64_t s = c->seed;
	struct slots sl = {0};
	char who[128];
	const char *tpl, *url;

	if (p->topic >= 0)
		pick_ka(p->topic, de, p->seed, &sl.k, &sl.a);
	if (c->parent >= 0) {
		const struct gw_comment *pc = &w->comments[c->parent];

		gw_comment_author(w, pc, who, sizeof(who), &url);
		/* First names are what people answer with. */
		who[strcspn(who, " ")] = '\0';
		sl.c = who;
	}
	if (c->who == GW_SPAMMER)
		tpl = c_spam[gw_below(&s, N(c_spam))];
	else if (c->by_author && c->parent >= 0)
		tpl = de ? c_reply_de[gw_below(&s, N(c_reply_de))]
			 : c_reply_en[gw_below(&s, N(c_reply_en))];
	else if (c->parent >= 0)
		tpl = de ? c_follow_de[gw_below(&s, N(c_follow_de))]
			 : c_follow_en[gw_below(&s, N(c_follow_en))];
	else if (p->topic < 0)
		tpl = de ? c_off_de[gw_below(&s, N(c_off_de))]
			 : c_off_en[gw_below(&s, N(c_off_en))];
	else
		tpl = de ? c_top_de[gw_below(&s, N(c_top_de))]
			 : c_top_en[gw_below(&s, N(c_top_en))];
	expand(out, tpl, &sl);
}

/* ---------------------------------------------------------------- misc */

void
gw_slugify(const char *s, char *out, size_t outsz, size_t maxlen)
{
	static const struct {
		const char *utf8, *ascii;
	} translit[] = {
	    /* German letters as WordPress's de_DE locale writes them */
	    {"\xc3\x84", "ae"}, {"\xc3\x96", "oe"}, {"\xc3\x9c", "ue"},
	    {"\xc3\x9f", "ss"}, {"\xc3\xa4", "ae"}, {"\xc3\xb6", "oe"},
	    {"\xc3\xbc", "ue"}, {"\xc3\xa9", "e"},
	};
	size_t n = 0, i;
	bool dash = false;

	if (maxlen > outsz - 1)
		maxlen = outsz - 1;
	while (*s && n < maxlen) {
		const char *add = NULL;
		char one[2] = {0, 0};

		for (i = 0; (unsigned char)*s >= 0x80 && i < N(translit); i++) {
			size_t k = strlen(translit[i].utf8);

			if (strncmp(s, translit[i].utf8, k) == 0) {
				add = translit[i].ascii;
				s += k;
				break;
			}
		}
		if (!add) {
			unsigned char c = (unsigned char)*s++;

			if (c >= 'A' && c <= 'Z')
				c = (unsigned char)(c - 'A' + 'a');
			if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
				one[0] = (char)c;
				add = one;
			} else if (c >= 0x80) {
				continue; /* other UTF-8: dropped */
			}
		}
		if (!add) {
			dash = n > 0;
			continue;
		}
		if (dash && n < maxlen) {
			out[n++] = '-';
			dash = false;
		}
		for (; *add && n < maxlen; add++)
			out[n++] = *add;
	}
	while (n > 0 && out[n - 1] == '-')
		n--;
	out[n] = '\0';
}

void
gw_rfc822(int64_t t, char out[40])
{
	time_t tt = (time_t)t;
	struct tm tm;

	gmtime_r(&tt, &tm);
	strftime(out, 40, "%a, %d %b %Y %H:%M:%S +0000", &tm);
}

void
gw_rfc3339(int64_t t, int offset_min, bool millis, char out[40])
{
	time_t tt = (time_t)(t + offset_min * 60);
	int off = offset_min < 0 ? -offset_min : offset_min;
	struct tm tm;
	char base[20];

	gmtime_r(&tt, &tm);
	if (strftime(base, sizeof(base), "%Y-%m-%dT%H:%M:%S", &tm) == 0)
		base[0] = '\0'; /* years past 9999 */
	if (offset_min == 0 && !millis)
		snprintf(out, 40, "%sZ", base);
	else
		snprintf(out, 40, "%s%s%c%02d:%02d", base, millis ? ".000" : "",
			 offset_min < 0 ? '-' : '+', (off / 60) % 24, off % 60);
}

void
gw_human_date(enum gw_lang l, int64_t t, bool with_time, char out[64])
{
	static const char *const mon_en[] = {
	    "January",	 "February", "March",	 "April",
	    "May",	 "June",     "July",	 "August",
	    "September", "October",  "November", "December",
	};
	static const char *const mon_de[] = {
	    "Januar", "Februar", "März",      "April",	 "Mai",	     "Juni",
	    "Juli",   "August",	 "September", "Oktober", "November", "Dezember",
	};
	time_t tt = (time_t)t;
	struct tm tm;

	gmtime_r(&tt, &tm);
	if (l == GW_DE && with_time)
		snprintf(out, 64, "%d. %s %d um %02d:%02d", tm.tm_mday,
			 mon_de[tm.tm_mon], tm.tm_year + 1900, tm.tm_hour,
			 tm.tm_min);
	else if (l == GW_DE)
		snprintf(out, 64, "%d. %s %d", tm.tm_mday, mon_de[tm.tm_mon],
			 tm.tm_year + 1900);
	else if (with_time)
		snprintf(out, 64, "%s %d, %d at %d:%02d %s", mon_en[tm.tm_mon],
			 tm.tm_mday, tm.tm_year + 1900,
			 tm.tm_hour % 12 ? tm.tm_hour % 12 : 12, tm.tm_min,
			 tm.tm_hour < 12 ? "am" : "pm");
	else
		snprintf(out, 64, "%s %d, %d", mon_en[tm.tm_mon], tm.tm_mday,
			 tm.tm_year + 1900);
}
