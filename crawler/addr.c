/*
 * addr.c — the SSRF guard's question: is this address somewhere a URL found
 * in a stranger's feed must not reach?  Private, loopback, link-local,
 * shared, documentation, benchmarking, multicast and reserved ranges, in
 * IPv4 and IPv6, with the IPv6 forms that embed an IPv4 address (mapped,
 * compatible, NAT64, 6to4) judged by the address they embed.
 */
#include "crawler/crawler.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>

/* IPv4 ranges (network, prefix length), RFC 6890 and friends; any order. */
static const struct {
	uint32_t net;
	unsigned len;
} v4_special[] = {
	{ 0x00000000, 8 },	/* "this network" */
	{ 0x0a000000, 8 },	/* private */
	{ 0x64400000, 10 },	/* shared address space (CGN) */
	{ 0x7f000000, 8 },	/* loopback */
	{ 0xa9fe0000, 16 },	/* link-local, cloud metadata */
	{ 0xac100000, 12 },	/* private */
	{ 0xc0000000, 24 },	/* IETF protocol assignments */
	{ 0xc0000200, 24 },	/* TEST-NET-1 */
	{ 0xc0586300, 24 },	/* 6to4 relay anycast */
	{ 0xc0a80000, 16 },	/* private */
	{ 0xc6120000, 15 },	/* benchmarking */
	{ 0xc6336400, 24 },	/* TEST-NET-2 */
	{ 0xcb007100, 24 },	/* TEST-NET-3 */
	{ 0xe0000000, 4 },	/* multicast */
	{ 0xf0000000, 4 },	/* reserved, broadcast */
};

static bool
v4_is_special(uint32_t a)
{
	for (size_t i = 0; i < sizeof(v4_special) / sizeof(*v4_special);
	     i++) {
		uint32_t mask = 0xffffffffu << (32 - v4_special[i].len);

		if ((a & mask) == v4_special[i].net)
			return true;
	}
	return false;
}

static uint32_t
be32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | p[3];
}

static bool
v6_is_special(const unsigned char *a)
{
	static const unsigned char zero[16];
	static const unsigned char mapped[12] = { 0, 0, 0, 0, 0, 0,
						  0, 0, 0, 0, 0xff, 0xff };
	static const unsigned char nat64[12] = { 0x00, 0x64, 0xff, 0x9b };

	/* ::, ::1 and the deprecated IPv4-compatible ::a.b.c.d */
	if (!memcmp(a, zero, 12))
		return true;
	if (!memcmp(a, mapped, 12))
		return v4_is_special(be32(a + 12));
	if (!memcmp(a, nat64, 12))	/* 64:ff9b::/96 */
		return v4_is_special(be32(a + 12));
	if (a[0] == 0x00 && a[1] == 0x64 && a[2] == 0xff && a[3] == 0x9b &&
	    a[4] == 0x00 && a[5] == 0x01)	/* 64:ff9b:1::/48 local NAT64 */
		return true;
	if (a[0] == 0x20 && a[1] == 0x02)	/* 6to4 2002::/16 */
		return v4_is_special(be32(a + 2));
	if ((a[0] & 0xfe) == 0xfc)	/* unique local fc00::/7 */
		return true;
	if (a[0] == 0xfe && (a[1] & 0xc0) == 0x80)	/* link-local */
		return true;
	if (a[0] == 0xfe && (a[1] & 0xc0) == 0xc0)	/* site-local (old) */
		return true;
	if (a[0] == 0xff)	/* multicast */
		return true;
	if (a[0] == 0x20 && a[1] == 0x01 && a[2] == 0x0d && a[3] == 0xb8)
		return true;	/* documentation 2001:db8::/32 */
	if (a[0] == 0x20 && a[1] == 0x01 && a[2] == 0x00 && a[3] == 0x00)
		return true;	/* Teredo 2001::/32 hides the real peer */
	if (a[0] == 0x01 && !memcmp(a + 1, zero, 7))
		return true;	/* discard-only 100::/64 */
	return false;
}

bool
ms_addr_is_special(const struct sockaddr *sa)
{
	if (!sa)
		return true;
	if (sa->sa_family == AF_INET) {
		const struct sockaddr_in *in = (const void *)sa;

		return v4_is_special(ntohl(in->sin_addr.s_addr));
	}
	if (sa->sa_family == AF_INET6) {
		const struct sockaddr_in6 *in6 = (const void *)sa;

		return v6_is_special(in6->sin6_addr.s6_addr);
	}
	return true;	/* unix sockets and anything else */
}

bool
ms_addr_text_is_special(const char *ip)
{
	unsigned char a[16];

	if (!ip)
		return true;
	if (inet_pton(AF_INET, ip, a) == 1)
		return v4_is_special(be32(a));
	if (inet_pton(AF_INET6, ip, a) == 1)
		return v6_is_special(a);
	return true;
}
