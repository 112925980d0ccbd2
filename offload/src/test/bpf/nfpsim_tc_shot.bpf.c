#include "corpus.h"

/* drops runts, lets the rest through as TC_ACT_UNSPEC (> 7: allowed) */
SEC("tc")
int nfpsim_tc_shot(struct __sk_buff *skb)
{
	return skb->len < 60 ? TC_ACT_SHOT : TC_ACT_UNSPEC;
}
