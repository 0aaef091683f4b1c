/*
 * cmd_topics.c — `mentorscout topics`: the taxonomy in force (built-in
 * topics, with the config's additions and replacements).
 */
#include "cli/cli.h"
#include "config/config.h"

#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <string.h>

static int
cmd_topics(int argc, char **argv, struct ms_ctx *ctx)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ NULL, 0, NULL, 0 },
	};
	const struct ms_taxonomy *tax;
	int c, json = 0;

	while ((c = getopt_long(argc, argv, "+j", opts, NULL)) != -1) {
		if (c != 'j')
			return ms_cli_usage("topics", "topics: unknown option "
					    "'%s'", argv[optind - 1]);
		json = 1;
	}
	if (optind < argc)
		return ms_cli_usage("topics", "topics: unexpected argument "
				    "'%s'", argv[optind]);
	if (ctx->parse_only)
		return EXIT_OK;
	tax = &ctx->cfg->taxonomy;
	if (json) {
		json_t *arr = json_array();

		for (size_t i = 0; i < tax->ntopics; i++) {
			const struct ms_topic *t = &tax->topics[i];
			json_t *o = json_object(), *langs = json_array();
			json_t *pats = json_object();

			json_object_set_new(o, "id", json_string(t->id));
			if (t->label)
				json_object_set_new(o, "label",
						    json_string(t->label));
			for (size_t l = 0; l < t->nlangs; l++)
				json_array_append_new(
					langs, json_string(t->langs[l]));
			json_object_set_new(o, "languages", langs);
			for (size_t p = 0; p < t->npatterns; p++) {
				const struct ms_pattern *pt = &t->patterns[p];
				json_t *list = json_object_get(pats, pt->lang);

				if (!list) {
					list = json_array();
					json_object_set_new(pats, pt->lang,
							    list);
				}
				json_array_append_new(
					list, json_string(pt->source));
			}
			json_object_set_new(o, "patterns", pats);
			json_array_append_new(arr, o);
		}
		json_dumpf(arr, stdout, JSON_INDENT(2));
		putchar('\n');
		json_decref(arr);
		return EXIT_OK;
	}
	for (size_t i = 0; i < tax->ntopics; i++) {
		const struct ms_topic *t = &tax->topics[i];

		printf("%-20s %-28s ", t->id, t->label ? t->label : "");
		for (size_t l = 0; l < t->nlangs; l++)
			printf("%s%s", l ? "," : "", t->langs[l]);
		printf("  (%zu pattern%s)\n", t->npatterns,
		       t->npatterns == 1 ? "" : "s");
	}
	return EXIT_OK;
}

const struct ms_cmd cmd_topics_entry = {
	"topics", cmd_topics, NEED_CONFIG, "the taxonomy in force",
	"usage: mentorscout topics [--json]\n"
	"\n"
	"List the topics in force: id, label, languages and the number of\n"
	"patterns; with --json every pattern too.  Use an id with\n"
	"'mentorscout discover --topic ID'.\n",
};
