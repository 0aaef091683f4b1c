/*
 * pool.c — the analysis threads.  Parsing a fetched document and matching
 * the taxonomy against it is most of a crawl's CPU time; done inline it
 * stalls the multi loop, which then has nothing in flight while it
 * parses.  So the loop hands each body to a job queue, threads here parse
 * it and match the topics, and the loop takes the results back and does
 * everything else with them (the store, discovery, the feed's record) on
 * its own thread: the store is only ever used from there.
 *
 * When the queue runs ahead of the threads the loop takes a job that no
 * thread has started and runs it itself (pool_steal), so every core helps
 * and the queue, with the bodies it holds, stays short.
 */
#include "analyzer/analyzer.h"
#include "crawler/internal.h"
#include "util/xmalloc.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

struct pool {
	pthread_mutex_t lock;
	pthread_cond_t work;	/* a job was queued, or stop */
	struct job *queue, *queue_tail;	/* not started */
	struct job *done, *done_tail;	/* finished, not yet taken */
	size_t nqueued, nout;	/* queued; put and not yet taken back */
	bool stop;
	pthread_t *threads;
	int nthreads;
	void (*wake)(void *);
	void *wake_arg;
};

void
job_run(struct job *j)
{
	struct ms_parse_opts po = { 0 };

	po.url = j->url;
	po.content_type = j->ctype;
	po.max_size = j->max_size;
	j->rc = ms_doc_parse(j->body ? j->body : "", j->len, &po, &j->doc,
			     &j->err);
	if (!j->rc && j->tax)
		ms_doc_topics(j->doc, j->tax);
	/* The body is not needed any more: give its memory back now. */
	free(j->body);
	j->body = NULL;
}

void
job_release(struct job *j)
{
	free(j->body);
	free(j->url);
	free(j->ctype);
	ms_doc_free(j->doc);
	j->body = j->url = j->ctype = NULL;
	j->doc = NULL;
}

static void
push(struct job **head, struct job **tail, struct job *j)
{
	j->next = NULL;
	if (*tail)
		(*tail)->next = j;
	else
		*head = j;
	*tail = j;
}

static struct job *
pop(struct job **head, struct job **tail)
{
	struct job *j = *head;

	if (j) {
		*head = j->next;
		if (!*head)
			*tail = NULL;
		j->next = NULL;
	}
	return j;
}

static void *
worker(void *arg)
{
	struct pool *p = arg;

	pthread_mutex_lock(&p->lock);
	for (;;) {
		struct job *j;

		while (!p->stop && !p->queue)
			pthread_cond_wait(&p->work, &p->lock);
		if (p->stop)
			break;
		j = pop(&p->queue, &p->queue_tail);
		p->nqueued--;
		pthread_mutex_unlock(&p->lock);
		job_run(j);
		pthread_mutex_lock(&p->lock);
		push(&p->done, &p->done_tail, j);
		pthread_mutex_unlock(&p->lock);
		/* Outside the lock, which the loop wants now; p and the
		 * loop's multi handle outlive this thread (pool_stop joins
		 * it first). */
		p->wake(p->wake_arg);
		pthread_mutex_lock(&p->lock);
	}
	pthread_mutex_unlock(&p->lock);
	return NULL;
}

struct pool *
pool_new(int threads, void (*wake)(void *), void *wake_arg)
{
	struct pool *p = ms_xcalloc(1, sizeof(*p));

	pthread_mutex_init(&p->lock, NULL);
	pthread_cond_init(&p->work, NULL);
	p->wake = wake;
	p->wake_arg = wake_arg;
	p->threads = ms_xcalloc((size_t)(threads > 0 ? threads : 1),
				sizeof(*p->threads));
	for (int i = 0; i < threads; i++) {
		if (pthread_create(&p->threads[p->nthreads], NULL, worker, p))
			break;	/* fewer threads; the loop steals the rest */
		p->nthreads++;
	}
	return p;
}

void
pool_put(struct pool *p, struct job *j)
{
	pthread_mutex_lock(&p->lock);
	push(&p->queue, &p->queue_tail, j);
	p->nqueued++;
	p->nout++;
	pthread_cond_signal(&p->work);
	pthread_mutex_unlock(&p->lock);
}

struct job *
pool_done(struct pool *p)
{
	struct job *j;

	pthread_mutex_lock(&p->lock);
	j = pop(&p->done, &p->done_tail);
	if (j)
		p->nout--;
	pthread_mutex_unlock(&p->lock);
	return j;
}

struct job *
pool_steal(struct pool *p, size_t min_queued)
{
	struct job *j = NULL;

	pthread_mutex_lock(&p->lock);
	if (p->nqueued >= min_queued && p->nqueued) {
		j = pop(&p->queue, &p->queue_tail);
		p->nqueued--;
		p->nout--;
	}
	pthread_mutex_unlock(&p->lock);
	return j;
}

size_t
pool_out(struct pool *p)
{
	size_t n;

	pthread_mutex_lock(&p->lock);
	n = p->nout;
	pthread_mutex_unlock(&p->lock);
	return n;
}

void
pool_stop(struct pool *p)
{
	pthread_mutex_lock(&p->lock);
	p->stop = true;
	pthread_cond_broadcast(&p->work);
	pthread_mutex_unlock(&p->lock);
	for (int i = 0; i < p->nthreads; i++)
		pthread_join(p->threads[i], NULL);
	p->nthreads = 0;
}

void
pool_free(struct pool *p)
{
	if (!p)
		return;
	pool_stop(p);
	pthread_mutex_destroy(&p->lock);
	pthread_cond_destroy(&p->work);
	free(p->threads);
	free(p);
}
