/* store_stubs.h — TEMPORARY: the three store functions the ranker's model
 * calls, as store.h documents them, until store/ is merged.  Remove with
 * the merge. */
#include <string.h>

#include "store/store.h"

const char *
ms_strlist_next(const char **cursor, size_t *n)
{
	const char *s = *cursor, *e;

	if (!s || !*s)
		return NULL;
	e = strchr(s, '\n');
	*n = e ? (size_t)(e - s) : strlen(s);
	*cursor = e ? e + 1 : s + *n;
	return s;
}

void
ms_key_post(const char *url_or_id, struct ms_hash *key)
{
	ms_hash_str(url_or_id, key);
}

void
ms_key_person(const char *ident, struct ms_hash *key)
{
	ms_hash_str(ident, key);
}

void
ms_key_comment(const char *id, struct ms_hash *key)
{
	ms_hash_str(id, key);
}
