/*
 * Tests for analyzer/lang.c: running text in each language of the table is
 * recognised; short, mixed or wordless text gives NULL rather than a
 * guess; bytes that are not UTF-8 are harmless.
 */
#include <criterion/criterion.h>
#include <string.h>

#include "analyzer/analyzer.h"
#include "util/buf.h"

static void
expect_lang(const char *text, const char *want)
{
	const char *got = ms_lang_detect(text, strlen(text));

	if (!want)
		cr_expect_null(got, "expected no guess, got '%s' for: %.60s",
			       got ? got : "", text);
	else
		cr_expect(got && !strcmp(got, want),
			  "expected '%s', got '%s' for: %.60s", want,
			  got ? got : "(none)", text);
}

Test(analyzer_lang, english_paragraph)
{
	expect_lang("Feedback works when it is specific, timely and about the "
		    "work rather than the person. When I started managing a "
		    "team I gave feedback the way I had received it: rarely, "
		    "and in a hurry.",
		    "en");
}

Test(analyzer_lang, german_paragraph)
{
	expect_lang("Gutes Feedback ist konkret, zeitnah und bezieht sich auf "
		    "die Arbeit und nicht auf die Person. In vielen Teams wird "
		    "es trotzdem nur einmal im Jahr gegeben.",
		    "de");
	/* Capitals at the start of sentences and nouns, umlauts. */
	expect_lang("ÜBER DIE ARBEIT MIT DEM TEAM: WIR HABEN DAS AUCH NICHT "
		    "GEWUSST, ABER ES IST FÜR UNS SEHR WICHTIG.",
		    "de");
}

Test(analyzer_lang, french_spanish_dutch_paragraphs)
{
	expect_lang("Le mentorat est une relation dans laquelle une personne "
		    "plus expérimentée aide une autre à grandir. Il faut du "
		    "temps et de la confiance pour que cela fonctionne.",
		    "fr");
	expect_lang("La mentoría es una relación en la que una persona "
		    "con más experiencia ayuda a otra a crecer. Para que "
		    "funcione hace falta tiempo y también confianza por las "
		    "dos partes.",
		    "es");
	expect_lang("Een goede mentor neemt de tijd voor je en geeft eerlijke "
		    "feedback. Het is niet altijd makkelijk, maar het helpt je "
		    "om beter te worden in je werk.",
		    "nl");
}

Test(analyzer_lang, short_text_is_unsure)
{
	expect_lang("Feedback im Team", NULL);
	expect_lang("The team", NULL);
	expect_lang("", NULL);
	cr_expect_null(ms_lang_detect(NULL, 0));
}

Test(analyzer_lang, text_without_function_words_is_unsure)
{
	expect_lang("Kubernetes Docker Terraform Ansible Prometheus Grafana "
		    "Jenkins GitLab Jira Confluence Slack Zoom", NULL);
	expect_lang("int main(void) { return printf(\"%d\", argc) > 0; }",
		    NULL);
}

Test(analyzer_lang, evenly_mixed_text_is_unsure)
{
	expect_lang("The team and the manager. Das Team und der Manager. "
		    "This is for you. Das ist für dich.",
		    NULL);
}

Test(analyzer_lang, long_text_and_bad_bytes)
{
	struct ms_buf b = MS_BUF_INIT(1 << 20);

	for (int i = 0; i < 5000; i++)
		ms_buf_adds(&b, "\xff\xfe\xc3 und die \x80 der ");
	cr_expect_str_eq(ms_lang_detect(b.data, b.len), "de");
	ms_buf_reset(&b);
	for (int i = 0; i < 20000; i++)
		ms_buf_adds(&b, "\xc3\xc3\xe2\x82");
	cr_expect_null(ms_lang_detect(b.data, b.len));
	ms_buf_release(&b);
}
