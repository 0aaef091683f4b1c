/* R-SE-2: which addresses the SSRF guard refuses, in every form RELIABILITY
 * §7 lists (loopback, ::1, mapped, metadata, private, ULA, NAT64). */
#include <criterion/criterion.h>

#include "crawler/crawler.h"

Test(crawler_addr, r_se_2_special_addresses_are_refused)
{
	const char *bad[] = {
		"127.0.0.1", "127.5.6.7", "::1", "::ffff:127.0.0.1",
		"169.254.169.254", "10.1.2.3", "172.16.0.1", "172.31.255.255",
		"192.168.1.1", "100.64.0.1", "0.0.0.0", "224.0.0.1",
		"255.255.255.255", "fd00::1", "fe80::1", "ff02::1",
		"64:ff9b::7f00:1", "::ffff:10.0.0.1", "2002:7f00:1::",
		"::", "::127.0.0.1", "2001:db8::1", "198.18.0.1", "not an ip",
	};
	const char *good[] = {
		"93.184.216.34", "8.8.8.8", "172.32.0.1", "2606:4700::1111",
		"::ffff:93.184.216.34", "64:ff9b::808:808", "2a00:1450::1",
	};

	for (size_t i = 0; i < sizeof(bad) / sizeof(*bad); i++)
		cr_expect(ms_addr_text_is_special(bad[i]), "%s allowed",
			  bad[i]);
	for (size_t i = 0; i < sizeof(good) / sizeof(*good); i++)
		cr_expect(!ms_addr_text_is_special(good[i]), "%s refused",
			  good[i]);
}
