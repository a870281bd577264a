/* tnc-imv-swima: the SWIMA IMV (RFC 8412).  Its inventory checks arrive with
 * their own issue; until then it is a placeholder IMV (imv_placeholder.h)
 * with the real process, sandbox and IF-IMV endpoint. */
#include "imv_placeholder.h"

int
main(int argc, char **argv)
{
	return imv_placeholder_main(argc, argv, ROLE_IMV_SWIMA);
}
