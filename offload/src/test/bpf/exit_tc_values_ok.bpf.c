#include "corpus.h"

/* accepted: every exit returns 2, 4, 5 or a value above 7 */
SEC("classifier")
int exit_tc_values_ok(struct __sk_buff *skb)
{
	if (skb->len < 60)
		return TC_ACT_SHOT;
	if (skb->len < 100)
		return TC_ACT_STOLEN;
	if (skb->len < 200)
		return TC_ACT_QUEUED;
	if (skb->len < 300)
		return TC_ACT_TRAP;
	return TC_ACT_UNSPEC;
}
