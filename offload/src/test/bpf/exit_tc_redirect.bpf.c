#include "corpus.h"

/* TC_ACT_REDIRECT (7) is refused */
SEC("tc")
int exit_tc_redirect(struct __sk_buff *skb)
{
	return skb->len > 1000 ? TC_ACT_REDIRECT : TC_ACT_SHOT;
}
