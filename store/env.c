/*
 * env.c — the LMDB environment: where the store lives, opening it (modes,
 * schema check, stale readers), read snapshots, meta values, statistics,
 * and the map growth the batches rely on (RELIABILITY.md §4).
 */
#include "store/internal.h"
#include "store/store.h"
#include "util/err.h"
#include "util/xmalloc.h"

#include <errno.h>
#include <lmdb.h>
#include <pwd.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

/* Table names, in enum store_table order (LMDB named databases). */
const char *const store_table_names[T_COUNT] = {
	"meta", "feeds", "posts", "comments", "people", "links", "hosts",
	"scores", "pscores", "crawls", "outbox",
};

#define GIB ((size_t)1 << 30)
/* The default map is address space, not disk (no MDB_WRITEMAP). */
#define DEFAULT_MAP (sizeof(size_t) >= 8 ? ((size_t)64 << 30) : GIB)
/* The smallest default map tried when address space is short. */
#define MIN_MAP ((size_t)256 << 20)
/* Beyond this a growth is refused: a runaway, not a store. */
#define MAX_MAP (sizeof(size_t) >= 8 ? ((size_t)1 << 46) : ((size_t)3 << 30))

char *
ms_store_default_dir(const char *dir)
{
	const char *e;

	if (dir && *dir)
		return ms_xstrdup(dir);
	e = getenv("MENTORSCOUT_DB");
	if (e && *e)
		return ms_xstrdup(e);
	/* The XDG spec says relative values are invalid and to be ignored. */
	e = getenv("XDG_DATA_HOME");
	if (e && *e == '/')
		return ms_xasprintf("%s/mentorscout", e);
	e = getenv("HOME");
	if (!e || !*e) {
		struct passwd *pw = getpwuid(getuid());

		e = pw ? pw->pw_dir : NULL;
	}
	if (!e || !*e)
		return NULL;
	return ms_xasprintf("%s/.local/share/mentorscout", e);
}

/* mkdir -p with mode 0700 for every directory it creates. */
static int
make_dirs(const char *dir, struct ms_err *err)
{
	char *p = ms_xstrdup(dir);
	int rc = MS_OK;

	for (char *s = p + 1;; s++) {
		char c = *s;

		if (c != '/' && c != '\0')
			continue;
		*s = '\0';
		if (mkdir(p, 0700) == 0) {
			/* umask may have taken bits we want kept (or not). */
			if (chmod(p, 0700) != 0) {
				rc = ms_err_set(err, MS_EIO, "cannot chmod "
						"'%s': %s", p, strerror(errno));
				goto out;
			}
		} else if (errno != EEXIST) {
			rc = ms_err_set(err, MS_EIO, "cannot create store "
					"directory '%s': %s", p,
					strerror(errno));
			goto out;
		}
		*s = c;
		if (c == '\0')
			break;
	}
out:
	free(p);
	return rc;
}

static int
file_exists(const char *dir, const char *name)
{
	char *p = ms_xasprintf("%s/%s", dir, name);
	struct stat sb;
	int ok = stat(p, &sb) == 0;

	free(p);
	return ok;
}

static int
chmod_file(const char *dir, const char *name, struct ms_err *err)
{
	char *p = ms_xasprintf("%s/%s", dir, name);
	int rc = MS_OK;

	if (chmod(p, 0600) != 0)
		rc = ms_err_set(err, MS_EIO, "cannot chmod '%s': %s", p,
				strerror(errno));
	free(p);
	return rc;
}

/*
 * A commit that failed writing: ENOSPC and friends are a full disk; so is
 * EIO when the file system has (almost) no room left, because LMDB turns a
 * short write, which is how a full disk usually shows, into EIO.
 */
static int
disk_full(struct ms_store *st, int rc)
{
	struct statvfs sv;

	if (rc == ENOSPC || rc == EDQUOT || rc == EFBIG)
		return 1;
	if (rc != EIO || statvfs(st->dir, &sv) != 0)
		return 0;
	return (uint64_t)sv.f_bavail * sv.f_frsize < ((uint64_t)1 << 20);
}

int
store_mdb_error(struct ms_store *st, int rc, const char *what,
		struct ms_err *err)
{
	if (rc == MDB_MAP_FULL)
		return ms_err_set(err, MS_EFULL, "store '%s' is full: %s: %s",
				  st->dir, what, mdb_strerror(rc));
	if (disk_full(st, rc))
		return ms_err_set(err, MS_EFULL, "cannot write store '%s': "
				  "no space left on device (%s; nothing of "
				  "it was stored)", st->dir, what);
	if (rc == MDB_INVALID || rc == MDB_CORRUPTED || rc == MDB_PAGE_NOTFOUND)
		return ms_err_set(err, MS_ECORRUPT, "store '%s': %s: %s",
				  st->dir, what, mdb_strerror(rc));
	if (rc > 0)	/* an errno; LMDB's own codes are negative */
		return ms_err_set(err, MS_EIO, "store '%s': %s: %s", st->dir,
				  what, strerror(rc));
	return ms_err_set(err, MS_ESTORE, "store '%s': %s: %s", st->dir, what,
			  mdb_strerror(rc));
}

int
store_txn_begin(struct ms_store *st, unsigned flags, MDB_txn **out)
{
	int rc, tries = 0;

	for (;;) {
		rc = mdb_txn_begin(st->env, NULL, flags, out);
		if (rc == MDB_SUCCESS || tries++ >= 3)
			return rc;
		if (rc == MDB_MAP_RESIZED) {
			/*
			 * Another process grew the map past ours.  Remapping
			 * would pull the pages from under our open snapshots.
			 */
			if (st->live_readers)
				return rc;
			rc = mdb_env_set_mapsize(st->env, 0);
			if (rc)
				return rc;
		} else if (rc == MDB_READERS_FULL) {
			int dead = 0;

			mdb_reader_check(st->env, &dead);
			if (dead <= 0)
				return MDB_READERS_FULL;
			st->readers_cleared += (unsigned)dead;
		} else {
			return rc;
		}
	}
}

/* The schema version in meta; 0 when there is none. */
static int
read_schema(struct ms_store *st, MDB_txn *txn, MDB_dbi meta,
	    uint32_t *schema, struct ms_err *err)
{
	MDB_val k = { 6, "schema" }, v;
	const unsigned char *p;
	int rc;

	*schema = 0;
	rc = mdb_get(txn, meta, &k, &v);
	if (rc == MDB_NOTFOUND)
		return MS_OK;
	if (rc)
		return store_mdb_error(st, rc, "reading the schema", err);
	if (v.mv_size != 4)
		return ms_err_set(err, MS_ECORRUPT, "store '%s': corrupt "
				  "schema value (%zu bytes)", st->dir,
				  v.mv_size);
	p = v.mv_data;
	*schema = (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
		  (uint32_t)p[2] << 8 | p[3];
	if (*schema > MS_STORE_SCHEMA)
		return ms_err_set(err, MS_EVERSION, "store '%s' was written by "
				  "a newer mentorscout (schema %u, this one "
				  "reads %u)", st->dir, *schema,
				  MS_STORE_SCHEMA);
	if (*schema == 0)
		return ms_err_set(err, MS_ECORRUPT, "store '%s': schema 0",
				  st->dir);
	return MS_OK;
}

/*
 * Open every table in a read transaction; *missing is set when the store
 * has no meta table (never initialised) or lacks a table, *late when it
 * only lacks tables added since (T_FIRST_LATE on).  The schema is
 * checked before anything else, so a newer store is never touched.
 */
static int
open_tables(struct ms_store *st, int *missing, int *late, struct ms_err *err)
{
	MDB_txn *txn;
	uint32_t schema;
	int rc;

	*missing = *late = 0;
	rc = store_txn_begin(st, MDB_RDONLY, &txn);
	if (rc)
		return store_mdb_error(st, rc, "cannot begin a snapshot", err);
	for (int t = 0; t < T_COUNT; t++) {
		rc = mdb_dbi_open(txn, store_table_names[t], 0, &st->dbi[t]);
		if (rc == MDB_NOTFOUND && t >= T_FIRST_LATE) {
			/* Older store: created by a read-write open, seen
			 * empty by a read-only one. */
			st->absent[t] = 1;
			*late = 1;
			continue;
		}
		if (rc == MDB_NOTFOUND) {
			*missing = 1;
			if (t == T_META)
				break;
			continue;
		}
		if (rc) {
			mdb_txn_abort(txn);
			return store_mdb_error(st, rc, "cannot open a table",
					       err);
		}
		if (t == T_META) {
			rc = read_schema(st, txn, st->dbi[T_META], &schema,
					 err);
			if (rc) {
				mdb_txn_abort(txn);
				return rc;
			}
			if (!schema) {
				*missing = 1;
				break;
			}
		}
	}
	/* A read-only commit keeps the handles for the environment. */
	rc = mdb_txn_commit(txn);
	if (rc)
		return store_mdb_error(st, rc, "cannot open the tables", err);
	return MS_OK;
}

/* Create what open_tables() found missing, in one write transaction. */
static int
create_tables(struct ms_store *st, struct ms_err *err)
{
	unsigned char be[4] = { 0, 0, 0, MS_STORE_SCHEMA };
	MDB_val k = { 6, "schema" }, v = { 4, be };
	MDB_txn *txn;
	uint32_t schema;
	int rc;

	be[0] = (MS_STORE_SCHEMA >> 24) & 0xff;
	be[1] = (MS_STORE_SCHEMA >> 16) & 0xff;
	be[2] = (MS_STORE_SCHEMA >> 8) & 0xff;
	rc = store_txn_begin(st, 0, &txn);
	if (rc)
		return store_mdb_error(st, rc, "cannot begin a write", err);
	for (int t = 0; t < T_COUNT; t++) {
		rc = mdb_dbi_open(txn, store_table_names[t], MDB_CREATE,
				  &st->dbi[t]);
		if (rc)
			goto fail;
		st->absent[t] = 0;
	}
	/* Another process may have initialised it since we looked. */
	rc = read_schema(st, txn, st->dbi[T_META], &schema, err);
	if (rc) {
		mdb_txn_abort(txn);
		return rc;
	}
	if (!schema && (rc = mdb_put(txn, st->dbi[T_META], &k, &v, 0)))
		goto fail;
	if ((rc = mdb_txn_commit(txn)))
		return store_mdb_error(st, rc, "creating the tables", err);
	return MS_OK;
fail:
	mdb_txn_abort(txn);
	return store_mdb_error(st, rc, "creating the tables", err);
}

/*
 * Create and open the LMDB environment.  The default map is address
 * space, and where address space is limited (ulimit -v, valgrind, whose
 * own limit is below 64 GiB) mmap refuses it: then smaller maps are
 * tried, each a quarter of the last, down to MIN_MAP.  Nothing is lost by
 * it: LMDB maps at least the data file's size, and the map grows on
 * demand (store_grow).  A size the caller chose is used as given.
 */
static int
open_env(struct ms_store *st, const char *dir, unsigned envflags,
	 size_t map_size, struct ms_err *err)
{
	size_t size = map_size ? map_size : DEFAULT_MAP;
	int rc;

	for (;;) {
		if ((rc = mdb_env_create(&st->env)))
			return store_mdb_error(st, rc, "cannot create the "
					       "environment", err);
		if ((rc = mdb_env_set_maxdbs(st->env, T_COUNT + 2)) ||
		    (rc = mdb_env_set_mapsize(st->env, size)))
			return store_mdb_error(st, rc, "cannot configure the "
					       "environment", err);
		rc = mdb_env_open(st->env, dir, envflags, 0600);
		if (rc == MDB_SUCCESS)
			return MS_OK;
		mdb_env_close(st->env);
		st->env = NULL;
		if (map_size || size / 4 < MIN_MAP ||
		    (rc != ENOMEM && rc != EINVAL))
			return store_mdb_error(st, rc, "cannot open", err);
		size /= 4;
	}
}

int
ms_store_open(const char *dir, unsigned flags, size_t map_size,
	      struct ms_store **out, struct ms_err *err)
{
	struct ms_store *st = ms_xcalloc(1, sizeof(*st));
	unsigned envflags = MDB_NOTLS;
	int rdonly = (flags & MS_STORE_RDONLY) != 0;
	int create = (flags & MS_STORE_CREATE) && !rdonly;
	int had_data, had_lock, missing, late, dead = 0, rc;
	struct stat sb;
	MDB_stat ms;

	*out = NULL;
	st->dir = ms_xstrdup(dir);
	st->flags = flags;
	if (stat(dir, &sb) != 0) {
		if (errno != ENOENT) {
			rc = ms_err_set(err, MS_EIO, "cannot open store '%s': "
					"%s", dir, strerror(errno));
			goto fail;
		}
		if (!create) {
			rc = ms_err_set(err, MS_ENOTFOUND, "no store in '%s'",
					dir);
			goto fail;
		}
		if ((rc = make_dirs(dir, err)))
			goto fail;
	} else if (!S_ISDIR(sb.st_mode)) {
		rc = ms_err_set(err, MS_EIO, "cannot open store '%s': Not a "
				"directory", dir);
		goto fail;
	}
	had_data = file_exists(dir, "data.mdb");
	had_lock = file_exists(dir, "lock.mdb");
	if (!had_data && !create) {
		rc = ms_err_set(err, MS_ENOTFOUND, "no store in '%s'", dir);
		goto fail;
	}

	if (rdonly)
		envflags |= MDB_RDONLY;
	if (flags & MS_STORE_METASYNC)
		envflags |= MDB_NOMETASYNC;
	if ((rc = open_env(st, dir, envflags, map_size, err)))
		goto fail;
	/* Modes must not depend on the umask: the store is private. */
	if ((!had_data && (rc = chmod_file(dir, "data.mdb", err))) ||
	    (!had_lock && (rc = chmod_file(dir, "lock.mdb", err))))
		goto fail;
	/* Slots of readers that died (kill -9) pin pages and use slots. */
	mdb_reader_check(st->env, &dead);
	st->readers_cleared = dead > 0 ? (unsigned)dead : 0;
	mdb_env_stat(st->env, &ms);
	st->psize = ms.ms_psize;

	if ((rc = open_tables(st, &missing, &late, err)))
		goto fail;
	if (!missing && late && !rdonly && (rc = create_tables(st, err)))
		goto fail;
	if (missing) {
		if (!create) {
			if (rdonly || !had_data)
				rc = ms_err_set(err, MS_ENOTFOUND, "no store "
						"in '%s'", dir);
			else
				rc = ms_err_set(err, MS_ENOTFOUND, "no store "
						"in '%s' (incomplete; run "
						"init)", dir);
			goto fail;
		}
		if ((rc = create_tables(st, err)))
			goto fail;
	}
	*out = st;
	return MS_OK;
fail:
	ms_store_close(st);
	return rc;
}

void
ms_store_close(struct ms_store *st)
{
	if (!st)
		return;
	if (st->env)
		mdb_env_close(st->env);
	free(st->dir);
	free(st);
}

const char *
ms_store_dir(const struct ms_store *st)
{
	return st->dir;
}

size_t
ms_store_map_size(struct ms_store *st)
{
	MDB_envinfo info;

	mdb_env_info(st->env, &info);
	return info.me_mapsize;
}

unsigned
ms_store_grow_count(const struct ms_store *st)
{
	return st->grows;
}

unsigned
ms_store_readers_cleared(const struct ms_store *st)
{
	return st->readers_cleared;
}

int
store_grow(struct ms_store *st, size_t batch_bytes, struct ms_err *err)
{
	MDB_envinfo info;
	size_t cur, step, want;
	int rc;

	if (st->live_readers)
		return ms_err_set(err, MS_EFULL, "store '%s' needs a larger "
				  "map, which cannot be done while a read "
				  "snapshot is open in this process", st->dir);
	mdb_env_info(st->env, &info);
	cur = info.me_mapsize;
	/* Small (test) maps double so that growth is exercised often. */
	step = cur < GIB ? cur : GIB;
	if (batch_bytes <= SIZE_MAX / 2 && step < 2 * batch_bytes)
		step = 2 * batch_bytes;
	if (cur > MAX_MAP || step > MAX_MAP - cur)
		return ms_err_set(err, MS_EFULL, "store '%s' is full: the map "
				  "cannot grow past %zu bytes", st->dir,
				  (size_t)MAX_MAP);
	want = (cur + step + st->psize - 1) / st->psize * st->psize;
	rc = mdb_env_set_mapsize(st->env, want);
	if (rc) {
		/* Get the old mapping back so the store stays usable. */
		mdb_env_set_mapsize(st->env, cur);
		return ms_err_set(err, MS_EFULL, "store '%s' is full: cannot "
				  "grow the map to %zu bytes: %s", st->dir,
				  want, mdb_strerror(rc));
	}
	st->grows++;
	return MS_OK;
}

int
store_grow_if_needed(struct ms_store *st, size_t batch_bytes,
		     struct ms_err *err)
{
	MDB_envinfo info;
	uint64_t used;

	mdb_env_info(st->env, &info);
	used = ((uint64_t)info.me_last_pgno + 1) * st->psize;
	if (used * 10 <= (uint64_t)info.me_mapsize * 9)
		return MS_OK;
	return store_grow(st, batch_bytes, err);
}

int
ms_store_stats(struct ms_store *st, struct ms_store_stats *out,
	       struct ms_err *err)
{
	static const int tabs[] = { T_FEEDS, T_POSTS, T_COMMENTS, T_PEOPLE,
				    T_LINKS, T_HOSTS, T_SCORES, T_CRAWLS,
				    T_OUTBOX };
	size_t *fields[] = { &out->feeds, &out->posts, &out->comments,
			     &out->people, &out->links, &out->hosts,
			     &out->scores, &out->crawls, &out->outbox };
	MDB_envinfo info;
	MDB_txn *txn;
	MDB_stat ms;
	int rc;

	memset(out, 0, sizeof(*out));
	rc = store_txn_begin(st, MDB_RDONLY, &txn);
	if (rc)
		return store_mdb_error(st, rc, "cannot begin a snapshot", err);
	for (size_t i = 0; i < sizeof(tabs) / sizeof(tabs[0]); i++) {
		if (st->absent[tabs[i]])
			continue;
		rc = mdb_stat(txn, st->dbi[tabs[i]], &ms);
		if (rc) {
			mdb_txn_abort(txn);
			return store_mdb_error(st, rc, "reading table sizes",
					       err);
		}
		*fields[i] = ms.ms_entries;
	}
	mdb_txn_abort(txn);
	mdb_env_info(st->env, &info);
	out->map_size = info.me_mapsize;
	out->used_bytes = (info.me_last_pgno + 1) * st->psize;
	return MS_OK;
}

/* -------------------------------------------------------- read snapshots */

int
ms_store_read_begin(struct ms_store *st, struct ms_rtxn **out,
		    struct ms_err *err)
{
	struct ms_rtxn *t;
	MDB_txn *txn;
	int rc;

	*out = NULL;
	rc = store_txn_begin(st, MDB_RDONLY, &txn);
	if (rc)
		return store_mdb_error(st, rc, "cannot begin a snapshot", err);
	t = ms_xmalloc(sizeof(*t));
	t->st = st;
	t->txn = txn;
	st->live_readers++;
	*out = t;
	return MS_OK;
}

void
ms_store_read_end(struct ms_rtxn *t)
{
	if (!t)
		return;
	mdb_txn_abort(t->txn);
	t->st->live_readers--;
	free(t);
}

int
ms_store_get_meta(struct ms_rtxn *t, const char *name, const void **p,
		  size_t *len, struct ms_err *err)
{
	MDB_val k = { strlen(name), (void *)name }, v;
	int rc;

	*p = NULL;
	*len = 0;
	rc = mdb_get(t->txn, t->st->dbi[T_META], &k, &v);
	if (rc == MDB_NOTFOUND)
		return ms_err_set(err, MS_ENOTFOUND, "no meta value '%s'",
				  name);
	if (rc)
		return store_mdb_error(t->st, rc, "reading meta", err);
	*p = v.mv_data;
	*len = v.mv_size;
	return MS_OK;
}

uint32_t
store_meta_u32(struct ms_store *st, MDB_txn *txn, const char *name)
{
	MDB_val k = { strlen(name), (void *)name }, v;
	const unsigned char *p;

	if (mdb_get(txn, st->dbi[T_META], &k, &v) || v.mv_size != 4)
		return 0;
	p = v.mv_data;
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | p[3];
}

uint32_t
ms_store_rank_gen(struct ms_rtxn *t)
{
	return store_meta_u32(t->st, t->txn, "rank_gen");
}

void
store_test_txn_limit(struct ms_store *st, size_t writes)
{
	st->txn_limit = writes;
}
