/*
 * taxonomy.c — the topic taxonomy: the built-in topics of the career/HR
 * field as a table, their PCRE2 patterns compiled once (JIT where
 * available), matching untrusted text under explicit limits, and the ids
 * nearest to a mistyped one.
 *
 * Every pattern is compiled with PCRE2_UTF | PCRE2_UCP | PCRE2_CASELESS, so
 * \b and \w know umlauts and "FÜHRUNG" matches "Führung"; a pattern that
 * needs case (the acronym HR) starts with (?-i).  Subjects come from the
 * web, so matching follows RELIABILITY.md §3.4: a match context with small
 * limits, PCRE2_MATCH_INVALID_UTF, and never PCRE2_NO_UTF_CHECK.
 */
#include "config/internal.h"
#include "util/err.h"
#include "util/valgrind.h"
#include "util/xmalloc.h"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include <stdlib.h>
#include <string.h>
#include <stdio.h>
#include <strings.h>

/*
 * Compile options for taxonomy and ad-hoc patterns.  MATCH_INVALID_UTF
 * makes an invalid sequence simply never match (no undefined behaviour
 * even if a check were skipped); NEVER_BACKSLASH_C forbids \C, which can
 * split a UTF-8 character.
 */
#define PATTERN_OPTIONS                                                      \
	(PCRE2_UTF | PCRE2_UCP | PCRE2_CASELESS | PCRE2_MATCH_INVALID_UTF |  \
	 PCRE2_NEVER_BACKSLASH_C)

/*
 * Match limits.  The build defaults allow 10^7 steps and ~19 GiB of heap
 * per match (RELIABILITY.md §3.4).  These bound one pcre2_match() call:
 * (a+)+$ against 100 kB stops at the match limit in about 2 ms, while the
 * taxonomy's patterns, which start with a literal or a short class, stay
 * far below it on a 100 kB document (tests/config/test_taxonomy.c).  The
 * heap limit does not apply to JIT, which runs on its own 32 KiB stack and
 * fails with PCRE2_ERROR_JIT_STACKLIMIT instead.
 */
#define MATCH_LIMIT 100000
#define DEPTH_LIMIT 1000
#define HEAP_LIMIT_KIB 1024

/* ms_topic_count() stops counting here: enough to rank, bounded work. */
#define COUNT_CAP 1000

/*
 * The built-in taxonomy: topics of the career/HR field, each with English
 * and German patterns.  Sorted by id (a test checks it): `mentorscout
 * topics` lists them in this order and user topics are appended after.
 * German compounds put the topic word anywhere ("Nachwuchsführungskräfte"),
 * so German patterns often drop the leading \b; a leading \b stays where a
 * longer word would change the meaning ("Begründung" is not a founding).
 */
struct default_topic {
	const char *id;
	const char *label;
	const char *const *en;
	const char *const *de;
};

#define PATS(...) ((const char *const[]){ __VA_ARGS__, NULL })

static const struct default_topic default_topics[] = {
	{ "career", "Career and job change",
	  PATS("\\bcareers?\\b",
	       "\\bjob[- ]?(?:search|hunt|seek|chang|switch)\\w*",
	       "\\brésumés?\\b|(?-i)\\bCVs?\\b",
	       "\\bprofessional (?:growth|development path)\\b"),
	  PATS("karriere\\w*", "laufbahn\\w*",
	       "\\bberuflich\\w* (?:Entwicklung|Weiterentwicklung|"
	       "Neuorientierung|Veränderung)",
	       "\\bBerufs(?:einstieg|wechsel|wahl|leben)\\b",
	       "\\b(?:Job|Stellen)(?:suche|wechsel)\\b",
	       "\\bLebensl(?:auf|äufe)\\b|\\bWerdegang\\b") },
	{ "coaching", "Coaching",
	  PATS("\\bcoach(?:es|ed|ing|ees?)?\\b", "(?-i)\\bGROW[- ]model\\b",
	       "\\bpowerful questions\\b"),
	  PATS("coach\\w*",
	       "\\bsystemisch\\w* (?:Beratung|Coaching|Fragen)\\b",
	       "\\bSupervision\\b") },
	{ "diversity", "Diversity and inclusion",
	  PATS("\\bdiversity\\b", "\\binclusi(?:on|ve)\\b",
	       "(?-i)\\b(?:D&I|DE&I|DEIB?)\\b", "\\bunconscious bias\\b",
	       "\\b(?:gender|pay) (?:gap|equity|parity)\\b",
	       "\\bequal (?:pay|opportunit\\w*)\\b"),
	  PATS("diversit(?:y|ät)\\w*", "\\bVielfalt\\w*",
	       "\\binklusi(?:on|v)\\w*",
	       "\\bChancengleichheit\\b|\\bGleichstellung\\w*",
	       "\\bFrauen(?:quote|förderung)\\b",
	       "\\bGender[- ]Pay[- ]Gap\\b|\\bLohnlücke\\b",
	       "\\bunbewusste\\w* Vorurteile?\\b|\\bUnconscious Bias\\b") },
	{ "employee-engagement", "Employee engagement",
	  PATS("\\bemployee (?:engagement|experience|satisfaction|"
	       "retention|morale|surveys?)\\b",
	       "\\b(?:staff|employee) turnover\\b",
	       "\\b(?:engaged|disengaged) (?:employees|staff|teams?)\\b",
	       "\\bquiet quitting\\b"),
	  PATS("\\bMitarbeite\\w*(?:bindung|zufriedenheit|motivation|"
	       "engagement|befragung|erlebnis)\\w*",
	       "\\bFluktuation\\b", "\\bEmployee Experience\\b",
	       "\\binnere Kündigung\\b|\\bQuiet Quitting\\b",
	       "\\bArbeitszufriedenheit\\b") },
	{ "employer-branding", "Employer branding",
	  PATS("\\bemployer brand(?:ing|s)?\\b",
	       "\\bemployer value proposition\\b", "(?-i)\\bEVP\\b",
	       "\\bemployer of choice\\b", "\\bGlassdoor\\b|\\bkununu\\b"),
	  PATS("\\bArbeitgebermarke\\w*", "\\bArbeitgeberattraktivität\\b",
	       "\\bEmployer[- ]Brand(?:ing)?\\b",
	       "\\battraktive\\w* Arbeitgeber\\w*", "\\bkununu\\b") },
	{ "entrepreneurship", "Entrepreneurship",
	  PATS("\\bentrepreneur\\w*", "\\bstart-?ups?\\b",
	       "\\b(?:co-?)?founders?\\b", "\\bbootstrapp\\w*",
	       "\\bsmall business(?:es)?\\b", "\\bventure capital\\w*"),
	  PATS("\\bUnternehmer(?:in|innen|tum|geist)?\\b",
	       "\\b(?:Existenz|Firmen|Unternehmens)?gründ(?:er|ung)\\w*",
	       "\\bStart-?ups?\\b", "\\bSelbst(?:st)?ändig\\w*",
	       "\\bFounder\\w*") },
	{ "future-of-work", "Future of work",
	  PATS("\\bfuture of work\\b", "\\bnew work\\b",
	       "\\b(?:four|4)[- ]day (?:work ?)?week\\b", "\\bgig economy\\b",
	       "\\b(?:workplace|jobs?) of the future\\b"),
	  PATS("\\bZukunft der Arbeit\\b", "\\bNew Work\\b",
	       "\\bArbeit 4\\.0\\b", "\\b(?:Vier|4)-Tage-Woche\\b",
	       "\\bArbeitswelt(?:en)? (?:der Zukunft|von morgen)\\b",
	       "\\bneuen? Arbeitswelt\\w*",
	       "\\bGig-Economy\\b|\\bPlattformarbeit\\b") },
	{ "hr", "Human resources",
	  PATS("(?-i)\\bHR\\b", "\\bhuman resources?\\b",
	       "\\bpeople (?:operations|ops|team|function|partners?)\\b",
	       "\\bpersonnel\\b", "(?-i)\\b(?:CHRO|HRBP|HRM|HRIS)s?\\b"),
	  PATS("(?-i)\\bHR\\b", "\\bPersonalwesen\\b",
	       "\\bPersonalabteilung(?:en)?\\b",
	       "\\bPersonaler(?:in|innen)?\\b",
	       "\\bPersonal(?:management|arbeit|leiter\\w*|leitung|chef\\w*|"
	       "referent\\w*|verantwortliche\\w*|wirtschaft|planung|"
	       "politik|vorstand)\\b",
	       "\\bHuman Resources?\\b") },
	{ "innovation", "Innovation",
	  PATS("\\binnovat\\w*", "\\bdesign thinking\\b", "\\bdisrupt\\w*",
	       "\\bdigital transformation\\b", "\\bintrapreneur\\w*",
	       "\\bcreativity\\b"),
	  PATS("innovati\\w*", "\\bDesign Thinking\\b", "\\bdisruptiv\\w*",
	       "\\bdigitale[nr]? (?:Transformation|Wandel)\\b|"
	       "\\bDigitalisierung\\b",
	       "\\bKreativität\\b", "\\bIntrapreneur\\w*") },
	{ "leadership", "Leadership",
	  PATS("\\bleaders?(?:hip)?\\b",
	       "\\bleading (?:people|teams?|change)\\b",
	       "\\bexecutive presence\\b"),
	  PATS("\\bF(?:ü|ue)hrung\\w*", "f(?:ü|ue)hrungskr(?:a|ä)ft\\w*",
	       "\\b(?:Mitarbeiter|Personal|Team|Unternehmens)"
	       "f(?:ü|ue)hrung\\b",
	       "\\bLeadership\\b", "\\bLeader(?:in|innen)?\\b") },
	{ "learning", "Learning and development",
	  PATS("\\blearning\\b", "\\b(?:training|upskilling|reskilling)\\b",
	       "(?-i)\\bL&D\\b", "\\bprofessional development\\b",
	       "\\blifelong learn\\w*", "\\bonline courses?\\b"),
	  PATS("\\bWeiterbildung\\w*", "\\bFortbildung\\w*",
	       "\\blebenslange\\w* Lernen\\b",
	       "\\bLern(?:en|kultur|ziele?|plattform\\w*|reise|erfolg)\\b",
	       "\\bPersonalentwicklung\\b",
	       "\\bSchulung(?:en)?\\b|\\bTraining\\w*",
	       "\\b(?:Upskilling|Reskilling)\\b", "\\bQualifizierung\\w*") },
	{ "management", "Management",
	  PATS("\\bmanag(?:er|ers|ement|ing)\\b",
	       "\\bone-on-ones?\\b|\\b1:1s?\\b",
	       "\\bdelegat(?:e|es|ed|ing|ion)\\b",
	       "\\bperformance reviews?\\b", "\\bteam leads?\\b"),
	  PATS("\\bManag(?:er|erin|erinnen|ement)\\w*",
	       "\\bMitarbeitergespräch\\w*|\\bJahresgespräch\\w*",
	       "\\b(?:Team|Abteilungs|Bereichs)leit(?:er|erin|erinnen|ung)"
	       "\\b",
	       "\\bdelegier\\w*|\\bDelegation\\b", "\\bVorgesetzte[nr]?\\b",
	       "\\bChef(?:in|innen|s)?\\b") },
	{ "mentoring", "Mentoring",
	  PATS("\\bmentor(?:s|ed|ing|ship|ships)?\\b", "\\bmentees?\\b",
	       "\\bprot[ée]g[ée]s?\\b", "\\bsponsorship\\b",
	       "\\brole models?\\b"),
	  PATS("mentor\\w*", "\\bMentee\\w*",
	       "\\bPatenschaft\\w*|\\bPatenprogramm\\w*",
	       "\\bVorbild(?:er|funktion)?\\b") },
	{ "networking", "Networking",
	  PATS("\\bnetworking\\b",
	       "\\b(?:professional|personal|business|alumni) networks?\\b",
	       "\\bweak ties\\b", "\\bmeetups?\\b", "\\bcoffee chats?\\b"),
	  PATS("netzwerk\\w*", "\\bNetworking\\b",
	       "\\bKontakte (?:knüpfen|pflegen)\\b|\\bKontaktpflege\\b",
	       "\\bVitamin B\\b", "\\bBeziehungspflege\\b") },
	{ "personal-branding", "Personal branding",
	  PATS("\\bpersonal brand(?:ing|s)?\\b",
	       "\\bthought leader(?:s|ship)?\\b", "\\bself[- ]promotion\\b",
	       "\\bvisibility\\b", "\\bpersonal (?:PR|marketing)\\b"),
	  PATS("\\bPersonal Brand(?:ing)?\\b",
	       "\\b(?:Personenmarke|Selbstmarketing|Eigenmarketing|"
	       "Selbstvermarktung|Eigen-PR)\\b",
	       "\\bSichtbarkeit\\b", "\\bThought Leader\\w*",
	       "\\bExpertenstatus\\b") },
	{ "recruiting", "Recruiting and hiring",
	  PATS("\\brecruit\\w*", "\\bhir(?:e|es|ed|ing)\\b",
	       "\\bjob (?:interview|ad|advert|posting|offer|applicant|"
	       "candidate)s?\\b",
	       "\\btalent acquisition\\b", "\\bheadhunt\\w*",
	       "\\bapplicants?\\b|\\bcandidates?\\b", "\\bonboarding\\b"),
	  PATS("recruit\\w*", "\\brekrutier\\w*", "bewerb(?:er|ung)\\w*",
	       "\\b(?:Stellen|Job)(?:anzeige|ausschreibung|angebot)\\w*",
	       "\\bPersonal(?:beschaffung|auswahl|suche|gewinnung)\\b",
	       "\\bVorstellungsgespräch\\w*", "\\bHeadhunt\\w*",
	       "\\bActive Sourcing\\b", "\\bFachkräftemangel\\b",
	       "\\bOnboarding\\b", "\\bKandidat(?:en|in|innen)?\\b") },
	{ "remote-work", "Remote and hybrid work",
	  PATS("\\bremote(?:[- ]first)?[- ](?:work\\w*|teams?|jobs?|"
	       "employees?|compan(?:y|ies))\\b",
	       "\\bremote-first\\b",
	       "\\bwork(?:ing)? from (?:home|anywhere)\\b|(?-i)\\bWFH\\b",
	       "\\bhybrid (?:work\\w*|teams?|office|model)\\b",
	       "\\bdistributed teams?\\b", "\\btelecommut\\w*",
	       "\\bdigital nomads?\\b"),
	  PATS("\\bHome[- ]?Office\\b", "\\bmobile[ns]? Arbeit(?:en)?\\b",
	       "\\bRemote[- ]?(?:Arbeit|Work|Teams?)\\b", "\\bTelearbeit\\b",
	       "\\bhybride\\w* Arbeit\\w*", "\\bverteilte\\w* Teams?\\b",
	       "\\bdigitale\\w* Nomaden\\b") },
	{ "social-media", "Social media",
	  PATS("\\bsocial (?:media|networks?)\\b", "\\bLinkedIn\\b",
	       "\\b(?:Twitter|Mastodon|Instagram|TikTok|Facebook|Bluesky)\\b",
	       "(?-i)\\bXING\\b", "\\bhashtags?\\b", "\\binfluencers?\\b",
	       "\\bcontent creat\\w*"),
	  PATS("\\bSocial Media\\b", "\\bsoziale\\w* (?:Medien|Netzwerke?)\\b",
	       "\\bLinkedIn\\b", "(?-i)\\bXING\\b",
	       "\\b(?:Twitter|Mastodon|Instagram|TikTok|Facebook|Bluesky)\\b",
	       "\\bInfluencer\\w*", "\\bHashtags?\\b") },
	{ "talent", "Talent management",
	  PATS("\\btalent(?:s|ed)?\\b", "\\bsuccession planning\\b",
	       "\\bhigh[- ]potentials?\\b|(?-i)\\bHiPos?\\b",
	       "\\bskills? gaps?\\b"),
	  PATS("talent\\w*",
	       "\\bNachwuchs(?:kr(?:a|ä)ft\\w*|förderung|führungskr\\w*)",
	       "\\bHigh[- ]Potentials?\\b", "\\bNachfolgeplanung\\b",
	       "\\bPoten[zt]ial(?:träger|analyse)\\w*",
	       "\\bKompetenz(?:management|entwicklung|modell\\w*)\\b") },
	{ "work-life-balance", "Work-life balance",
	  PATS("\\bwork[- ]life[- ](?:balance|integration)\\b",
	       "\\bburn-?out\\b", "\\bwell-?being\\b|\\bwellness\\b",
	       "\\bmental health\\b",
	       "\\bworkplace stress\\b|\\bstress at work\\b",
	       "\\bresilien(?:ce|t)\\b",
	       "\\bflexible (?:hours|working|schedules?)\\b"),
	  PATS("\\bWork[- ]Life[- ](?:Balance|Integration)\\b",
	       "\\bBurn-?out\\w*",
	       "\\bVereinbarkeit von (?:Familie|Beruf)\\w*",
	       "\\b(?:Wohlbefinden|Resilienz)\\b",
	       "\\bpsychische\\w* Gesundheit\\b",
	       "\\bStress(?:bewältigung|management|abbau)?\\b",
	       "\\bbetriebliche\\w* Gesundheitsmanagement\\b|(?-i)\\bBGM\\b",
	       "\\bflexible\\w* Arbeitszeit\\w*") },
};

#define NDEFAULT (sizeof(default_topics) / sizeof(default_topics[0]))

bool
ms_topic_id_valid(const char *id)
{
	size_t n = 0;

	for (const char *s = id; *s; s++, n++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') ||
		      *s == '-'))
			return false;
	return n > 0 && n <= MS_TOPIC_ID_MAX;
}

bool
ms_lang_valid(const char *lang)
{
	return lang[0] >= 'a' && lang[0] <= 'z' && lang[1] >= 'a' &&
	       lang[1] <= 'z' && lang[2] == '\0';
}

int
ms_pattern_compile(struct ms_pattern *p, struct ms_err *err)
{
	PCRE2_UCHAR msg[256];
	PCRE2_SIZE off;
	uint32_t minlen = 0;
	size_t len = strlen(p->source);
	pcre2_code *code;
	int ec;

	if (len == 0)
		return ms_err_set(err, MS_ECONFIG, "bad pattern '': it is "
				  "empty");
	if (len > MS_PATTERN_MAX)
		return ms_err_set(err, MS_ECONFIG, "bad pattern '%.40s...': "
				  "longer than %d bytes", p->source,
				  MS_PATTERN_MAX);
	code = pcre2_compile((PCRE2_SPTR)p->source, len, PATTERN_OPTIONS, &ec,
			     &off, NULL);
	if (!code) {
		if (pcre2_get_error_message(ec, msg, sizeof(msg)) < 0)
			strcpy((char *)msg, "unknown error");
		return ms_err_set(err, MS_ECONFIG, "bad pattern '%.200s' at "
				  "offset %zu: %s", p->source, (size_t)off,
				  (char *)msg);
	}
	/*
	 * A pattern that can match nothing would count a match at every
	 * position of every document.
	 */
	pcre2_pattern_info(code, PCRE2_INFO_MINLENGTH, &minlen);
	if (minlen == 0) {
		pcre2_code_free(code);
		return ms_err_set(err, MS_ECONFIG, "bad pattern '%.200s': it "
				  "can match an empty string", p->source);
	}
	/* Fails only where JIT is not built in; the interpreter is fine.
	 * Not under valgrind: the generated code reads ahead of a subject's
	 * end in whole words, which memcheck reports as uninitialised (the
	 * interpreter, which it can check, gives the same results). */
	if (!RUNNING_ON_VALGRIND)
		(void)pcre2_jit_compile(code, PCRE2_JIT_COMPLETE);
	p->code = code;
	ms_pattern_literals(p);
	return MS_OK;
}

void
ms_topic_release(struct ms_topic *t)
{
	if (!t)
		return;
	free(t->id);
	free(t->label);
	for (size_t i = 0; i < t->nlangs; i++)
		free(t->langs[i]);
	free(t->langs);
	for (size_t i = 0; i < t->npatterns; i++) {
		free(t->patterns[i].lang);
		free(t->patterns[i].source);
		for (size_t k = 0; k < t->patterns[i].nliterals; k++)
			free(t->patterns[i].literals[k]);
		free(t->patterns[i].literals);
		free(t->patterns[i].lit_ids);
		pcre2_code_free(t->patterns[i].code);
	}
	free(t->patterns);
	memset(t, 0, sizeof(*t));
}

void
ms_taxonomy_release(struct ms_taxonomy *t)
{
	for (size_t i = 0; i < t->ntopics; i++)
		ms_topic_release(&t->topics[i]);
	free(t->topics);
	pcre2_match_context_free(t->mctx);
	pcre2_code_free(t->utf8_check);
	ms_prefilter_free(t->lits);
	memset(t, 0, sizeof(*t));
}

static size_t
count_pats(const char *const *p)
{
	size_t n = 0;

	while (p[n])
		n++;
	return n;
}

static int
build_default(struct ms_topic *t, const struct default_topic *d,
	      struct ms_err *err)
{
	size_t nen = count_pats(d->en), nde = count_pats(d->de);
	int rc;

	memset(t, 0, sizeof(*t));
	t->id = ms_xstrdup(d->id);
	t->label = ms_xstrdup(d->label);
	t->langs = ms_xcalloc(2, sizeof(*t->langs));
	t->langs[t->nlangs++] = ms_xstrdup("en");
	t->langs[t->nlangs++] = ms_xstrdup("de");
	t->patterns = ms_xcalloc(nen + nde, sizeof(*t->patterns));
	for (size_t i = 0; i < nen + nde; i++) {
		struct ms_pattern *p = &t->patterns[t->npatterns++];

		p->lang = ms_xstrdup(i < nen ? "en" : "de");
		p->source = ms_xstrdup(i < nen ? d->en[i] : d->de[i - nen]);
		rc = ms_pattern_compile(p, err);
		if (rc)
			return ms_err_prefix(err, "built-in taxonomy: topic "
					     "'%s'", d->id);
	}
	return MS_OK;
}

static int
make_limits(struct ms_taxonomy *t, struct ms_err *err)
{
	PCRE2_SIZE off;
	int ec;

	t->mctx = pcre2_match_context_create(NULL);
	if (!t->mctx)
		return ms_err_set(err, MS_EIO, "out of memory");
	pcre2_set_match_limit(t->mctx, MATCH_LIMIT);
	pcre2_set_depth_limit(t->mctx, DEPTH_LIMIT);
	pcre2_set_heap_limit(t->mctx, HEAP_LIMIT_KIB);
	/* No MATCH_INVALID_UTF here: this one must report bad UTF-8. */
	t->utf8_check = pcre2_compile((PCRE2_SPTR) "", 0, PCRE2_UTF, &ec,
				      &off, NULL);
	if (!t->utf8_check)
		return ms_err_set(err, MS_EIO, "cannot compile the UTF-8 "
				  "check (PCRE2 error %d)", ec);
	return MS_OK;
}

int
ms_taxonomy_build(struct ms_taxonomy *t, struct ms_topic *user, size_t nuser,
		  bool replace_defaults, struct ms_err *err)
{
	bool *used = ms_xcalloc(nuser ? nuser : 1, sizeof(*used));
	size_t cap = (replace_defaults ? 0 : NDEFAULT) + nuser;
	int rc = MS_OK;

	memset(t, 0, sizeof(*t));
	t->topics = ms_xcalloc(cap ? cap : 1, sizeof(*t->topics));
	for (size_t i = 0; !replace_defaults && i < NDEFAULT; i++) {
		size_t u;

		for (u = 0; u < nuser; u++)
			if (!used[u] &&
			    !strcmp(user[u].id, default_topics[i].id))
				break;
		if (u < nuser) {
			t->topics[t->ntopics++] = user[u];
			used[u] = true;
			continue;
		}
		rc = build_default(&t->topics[t->ntopics++], &default_topics[i],
				   err);
		if (rc)
			goto out;
	}
	for (size_t u = 0; u < nuser; u++)
		if (!used[u]) {
			t->topics[t->ntopics++] = user[u];
			used[u] = true;
		}
	rc = make_limits(t, err);
	if (!rc)
		ms_prefilter_build(t);
out:
	/* Whatever was not moved into t is still ours to free. */
	for (size_t u = 0; u < nuser; u++)
		if (!used[u])
			ms_topic_release(&user[u]);
	free(user);
	free(used);
	if (rc)
		ms_taxonomy_release(t);
	return rc;
}

const struct ms_topic *
ms_taxonomy_find(const struct ms_taxonomy *t, const char *id)
{
	for (size_t i = 0; i < t->ntopics; i++)
		if (!strcmp(t->topics[i].id, id))
			return &t->topics[i];
	return NULL;
}

/* ------------------------------------------------------------ nearest */

#define NEAR_MAX 64	/* ids are at most MS_TOPIC_ID_MAX bytes */

/*
 * Edit distance with swaps of neighbours counted as one edit (optimal
 * string alignment), so "rh" is one edit from "hr".  Three rows of the
 * usual table are enough: a swap looks back two rows.
 */
static size_t
osa_distance(const char *a, size_t la, const char *b, size_t lb)
{
	size_t rows[3][NEAR_MAX + 1];
	size_t *pp = rows[0], *prev = rows[1], *cur = rows[2], *tmp;

	for (size_t j = 0; j <= lb; j++)
		prev[j] = j;
	for (size_t i = 1; i <= la; i++) {
		cur[0] = i;
		for (size_t j = 1; j <= lb; j++) {
			size_t v = prev[j - 1] + (a[i - 1] != b[j - 1]);

			if (prev[j] + 1 < v)
				v = prev[j] + 1;
			if (cur[j - 1] + 1 < v)
				v = cur[j - 1] + 1;
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] &&
			    a[i - 2] == b[j - 1] && pp[j - 2] + 1 < v)
				v = pp[j - 2] + 1;
			cur[j] = v;
		}
		tmp = pp;
		pp = prev;
		prev = cur;
		cur = tmp;
	}
	return prev[lb];
}

struct near {
	size_t key;	/* distance, or to the same-length prefix if smaller */
	size_t full;	/* distance to the whole id */
	size_t index;	/* taxonomy order breaks ties */
};

static int
near_cmp(const void *pa, const void *pb)
{
	const struct near *a = pa, *b = pb;

	if (a->key != b->key)
		return a->key < b->key ? -1 : 1;
	if (a->full != b->full)
		return a->full < b->full ? -1 : 1;
	return a->index < b->index ? -1 : a->index > b->index;
}

size_t
ms_taxonomy_nearest(const struct ms_taxonomy *t, const char *id,
		    const char **out, size_t n)
{
	size_t qlen = strlen(id), limit, found = 0, w;
	struct near *c;

	if (qlen == 0 || qlen > NEAR_MAX || n == 0 || t->ntopics == 0)
		return 0;
	/* One edit per three characters typed, at least one. */
	limit = qlen / 3 ? qlen / 3 : 1;
	c = ms_xcalloc(t->ntopics, sizeof(*c));
	for (size_t i = 0; i < t->ntopics; i++) {
		const char *cand = t->topics[i].id;
		size_t clen = strlen(cand), key, full;

		if (clen > NEAR_MAX)
			continue;
		key = full = osa_distance(id, qlen, cand, clen);
		/*
		 * "lead" for "leadership", "mentro" for "mentoring": compare
		 * with the start of the longer id too, but only from three
		 * characters on, or "m" would be near everything.
		 */
		if (qlen >= 3 && clen > qlen) {
			size_t pre = osa_distance(id, qlen, cand, qlen);

			if (pre < key)
				key = pre;
		}
		if (qlen >= 3 && qlen > clen && clen >= 2 &&
		    !strncmp(id, cand, clen) && key > 1)
			key = 1;
		if (key <= limit)
			c[found++] = (struct near){ key, full, i };
	}
	qsort(c, found, sizeof(*c), near_cmp);
	for (w = 0; w < found && w < n; w++)
		out[w] = t->topics[c[w].index].id;
	free(c);
	return w;
}

/* ----------------------------------------------------------- matching */

/* Does a pattern written for plang apply to a subject in lang? */
static bool
lang_applies(const char *plang, const char *lang)
{
	if (!lang || !strcmp(plang, "*"))
		return true;
	/* Only the primary subtag: "de-AT" and "de_DE" are "de". */
	return strlen(lang) >= 2 && !strncasecmp(plang, lang, 2) &&
	       (lang[2] == '\0' || lang[2] == '-' || lang[2] == '_');
}

/*
 * Count the matches of code in s from the start, at most max: the
 * global-match loop of pcre2demo(3).  Returns the count or -1 on a limit.
 */
static int
count_code(const struct ms_taxonomy *t, const pcre2_code *code,
	   PCRE2_SPTR s, size_t len, int max, pcre2_match_data *md)
{
	PCRE2_SIZE off = 0, *ov;
	uint32_t opts = 0;
	int count = 0, rc;

	while (count < max) {
		/*
		 * Straight into the JIT code when there is some and no
		 * option it lacks (ANCHORED) is asked: pcre2_match would do
		 * the same after checks these subjects pass (the UTF-8 check
		 * is off, MATCH_INVALID_UTF), at a cost per call that the
		 * many short counts here add up.
		 */
		rc = PCRE2_ERROR_JIT_BADOPTION;
		if (!opts)
			rc = pcre2_jit_match(code, s, len, off, 0, md,
					     t->mctx);
		if (rc == PCRE2_ERROR_JIT_BADOPTION)
			rc = pcre2_match(code, s, len, off, opts, md, t->mctx);
		if (rc == PCRE2_ERROR_NOMATCH) {
			if (!opts || off >= len)
				break;
			/* No non-empty match here: next character. */
			off++;
			while (off < len && (s[off] & 0xc0) == 0x80)
				off++;
			opts = 0;
			continue;
		}
		if (rc < 0)	/* match, depth, heap or JIT stack limit */
			return -1;
		count++;
		ov = pcre2_get_ovector_pointer(md);
		if (ov[1] > off)
			off = ov[1];
		/*
		 * After an empty match (a lookahead, \K), look for a
		 * non-empty one at the same place before moving on, or the
		 * same empty match would be found forever.
		 */
		opts = ov[0] >= ov[1] ? PCRE2_NOTEMPTY_ATSTART | PCRE2_ANCHORED
				      : 0;
	}
	return count;
}

pcre2_match_data *
ms_taxonomy_utf8_md(const struct ms_taxonomy *t, const char *s, size_t len)
{
	pcre2_match_data *md;

	if (!t || !t->utf8_check)
		return NULL;
	md = pcre2_match_data_create(1, NULL);
	if (md && pcre2_match(t->utf8_check, (PCRE2_SPTR)(s ? s : ""),
			      s ? len : 0, 0, 0, md, t->mctx) < 0) {
		pcre2_match_data_free(md);
		md = NULL;
	}
	return md;
}

bool
ms_taxonomy_utf8_ok(const struct ms_taxonomy *t, const char *subject,
		    size_t len)
{
	pcre2_match_data *md = ms_taxonomy_utf8_md(t, subject, len);

	pcre2_match_data_free(md);
	return md != NULL;
}

/*
 * The first of topic's patterns from i on that may match sub (its bit in
 * sub->may), else npatterns.  A topic's patterns have consecutive idx
 * (prefilter.c numbers them in order), so this reads the bits a word at
 * a time.
 */
static size_t
next_may(const struct ms_topic *topic, const struct ms_subject *sub,
	 size_t i)
{
	size_t base = topic->patterns[0].idx;
	size_t j = base + i, end = base + topic->npatterns;

	while (j < end) {
		uint64_t bits = sub->may[j / 64] >> (j % 64);

		if (bits) {
			j += (size_t)__builtin_ctzll(bits);
			break;
		}
		j = (j / 64 + 1) * 64;
	}
	return j < end ? j - base : topic->npatterns;
}

int
ms_topic_count_upto(const struct ms_taxonomy *t, const struct ms_topic *topic,
		    const char *lang, const struct ms_subject *sub, int max)
{
	pcre2_match_data *md;
	int count = 0, c;
	bool indexed;

	if (!t || !t->mctx || !t->utf8_check)
		return -1;
	if (max <= 0 || max > COUNT_CAP)
		max = COUNT_CAP;
	/*
	 * The patterns would let an invalid sequence pass (it never
	 * matches); the header promises that a bad subject counts 0.
	 */
	if (!sub->ok)
		return 0;
	/* The subject's own, else (a subject set up by hand) one here. */
	md = sub->md ? sub->md : pcre2_match_data_create(1, NULL);
	if (!md)
		return -1;
	/* The subject's scan knows the literals of t's own topics. */
	indexed = sub->found && sub->may && sub->tax == t &&
		  topic >= t->topics && topic < t->topics + t->ntopics;
	for (size_t i = 0; i < topic->npatterns && count < max; i++) {
		const struct ms_pattern *p;

		/* Straight to the next pattern one of whose literals
		 * occurs: most have none in a post. */
		if (indexed) {
			i = next_may(topic, sub, i);
			if (i == topic->npatterns)
				break;
		}
		p = &topic->patterns[i];
		if (!p->code || !lang_applies(p->lang, lang))
			continue;
		if (!indexed && !ms_subject_may_match(t, topic, p, sub))
			continue;
		c = count_code(t, p->code, (PCRE2_SPTR)sub->s, sub->len,
			       max - count, md);
		if (c < 0) {
			count = -1;
			break;
		}
		count += c;
	}
	if (md != sub->md)
		pcre2_match_data_free(md);
	return count;
}

int
ms_topic_count(const struct ms_taxonomy *t, const struct ms_topic *topic,
	       const char *lang, const char *subject, size_t len)
{
	struct ms_subject sub;
	int c;

	if (!t || !t->mctx || !t->utf8_check)
		return -1;
	ms_subject_prepare(t, &sub, subject, subject ? len : 0, false);
	c = ms_topic_count_upto(t, topic, lang, &sub, COUNT_CAP);
	ms_subject_release(&sub);
	return c;
}

int
ms_topic_adhoc(const char *pattern, struct ms_topic **out,
	       struct ms_err *err)
{
	struct ms_topic *t = ms_xcalloc(1, sizeof(*t));
	int rc;

	*out = NULL;
	t->id = ms_xstrdup("match");
	t->label = ms_xstrdup(pattern);
	t->patterns = ms_xcalloc(1, sizeof(*t->patterns));
	t->npatterns = 1;
	t->patterns[0].lang = ms_xstrdup("*");
	t->patterns[0].source = ms_xstrdup(pattern);
	rc = ms_pattern_compile(&t->patterns[0], err);
	if (rc) {
		ms_topic_free_adhoc(t);
		if (err)
			err->code = MS_EUSAGE;
		return MS_EUSAGE;
	}
	*out = t;
	return MS_OK;
}

void
ms_topic_free_adhoc(struct ms_topic *t)
{
	ms_topic_release(t);
	free(t);
}
