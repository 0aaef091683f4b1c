/*
 * json.c — DESIGN.md's `discover --format json` object, built with jansson:
 * one object per view, or {"generated", "topics": [...]} around several
 * (report.h has the schema).  Absent values are omitted, never invented;
 * strings are cleaned like every other format's, which also guarantees
 * jansson the valid UTF-8 it insists on.
 */
#include "report/internal.h"
#include "util/err.h"

#include <jansson.h>
#include <math.h>

/* Scores and signals are estimates; six significant digits print 0.83 as
 * 0.83 rather than 0.82999999999999996. */
#define DUMP_FLAGS (JSON_INDENT(2) | JSON_REAL_PRECISION(6))

static void
set_str(json_t *o, const char *key, struct ms_arena *a, const char *s)
{
	const char *c = ms_report_clean(a, s);

	if (c && *c)
		json_object_set_new(o, key, json_string(c));
}

static void
set_time(json_t *o, const char *key, int64_t t)
{
	char when[64];

	ms_report_time(t, 1, when, sizeof(when));
	if (*when)
		json_object_set_new(o, key, json_string(when));
}

static json_t *
step_obj(struct ms_arena *a, const struct ms_step *s)
{
	const char *act = ms_report_step_name(s->action);
	json_t *o;

	if (!act)
		return NULL;
	o = json_object();
	json_object_set_new(o, "action", json_string(act));
	set_str(o, "url", a, s->url);
	set_str(o, "title", a, s->title);
	set_str(o, "why", a, s->why);
	return o;
}

static json_t *
candidate_obj(struct ms_arena *a, const struct ms_candidate *c, size_t r)
{
	json_int_t rank = c->rank ? c->rank : (json_int_t)r + 1;
	json_t *o = json_object(), *arr, *sig, *ev;

	json_object_set_new(o, "rank", json_integer(rank));
	set_str(o, "person", a, c->person);
	set_str(o, "name", a, c->name);
	set_str(o, "site", a, c->site);
	set_str(o, "feed", a, c->feed);
	arr = json_array();
	for (size_t i = 0; i < c->nprofiles; i++) {
		const char *p = ms_report_clean(a, c->profiles[i]);

		if (p && *p)
			json_array_append_new(arr, json_string(p));
	}
	json_object_set_new(o, "profiles", arr);
	if (isfinite(c->score))
		json_object_set_new(o, "score", json_real(c->score));
	sig = json_object();
	for (size_t i = 0; i < MS_SIGNALS; i++)
		if (isfinite(c->signals[i]))
			json_object_set_new(sig, ms_signal_names[i],
					    json_real(c->signals[i]));
	json_object_set_new(o, "signals", sig);
	ev = json_object();
	for (size_t i = 0; i < MS_EVIDENCE; i++)
		if (c->evidence[i] >= 0)
			json_object_set_new(ev, ms_evidence_names[i],
					    json_integer(c->evidence[i]));
	json_object_set_new(o, "evidence", ev);
	arr = json_array();
	for (size_t i = 0; i < c->nsteps; i++) {
		json_t *s = step_obj(a, &c->steps[i]);

		if (s)
			json_array_append_new(arr, s);
	}
	json_object_set_new(o, "steps", arr);
	if (ms_report_stage_name(c->stage))
		json_object_set_new(o, "stage", json_string(
					ms_report_stage_name(c->stage)));
	if (ms_report_role_name(c->role)) {
		json_object_set_new(o, "role", json_string(
					ms_report_role_name(c->role)));
		set_str(o, "role_why", a, c->role_why);
	}
	if (c->nnotes) {
		arr = json_array();
		for (size_t i = 0; i < c->nnotes; i++) {
			const char *n = ms_report_clean(a, c->notes[i]);

			if (n && *n)
				json_array_append_new(arr, json_string(n));
		}
		if (json_array_size(arr))
			json_object_set_new(o, "notes", arr);
		else
			json_decref(arr);
	}
	return o;
}

static json_t *
view_obj(struct ms_arena *a, const struct ms_view *v)
{
	json_t *o = json_object(), *arr = json_array();

	set_str(o, "topic", a, v->topic);
	set_time(o, "generated", v->generated);
	for (size_t r = 0; r < v->ncands; r++)
		json_array_append_new(arr, candidate_obj(a, &v->cands[r], r));
	json_object_set_new(o, "candidates", arr);
	return o;
}

int
ms_report_json(FILE *f, struct ms_view *const *views, size_t nviews,
	       const struct ms_report_opts *o)
{
	struct ms_arena a;
	json_t *root;
	int rc = MS_OK;

	ms_arena_init(&a);
	if (nviews == 1 && !o->topics) {
		root = view_obj(&a, views[0]);
	} else {
		json_t *arr = json_array();
		int64_t latest = 0;

		for (size_t i = 0; i < nviews; i++) {
			if (views[i]->generated > latest)
				latest = views[i]->generated;
			json_array_append_new(arr, view_obj(&a, views[i]));
		}
		root = json_object();
		set_time(root, "generated", latest);
		json_object_set_new(root, "topics", arr);
	}
	if (json_dumpf(root, f, DUMP_FLAGS) != 0 || fputc('\n', f) == EOF)
		rc = MS_EIO;
	json_decref(root);
	ms_arena_release(&a);
	return rc;
}
