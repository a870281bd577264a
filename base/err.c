/* err.c - texts of the error codes in err.h. */
#include "err.h"

#include <string.h>

const char *
tnc_strerror(int err)
{
	switch (err) {
#define TNC_ERR_TEXT(name, code, text) \
	case code:                     \
		return text;
		TNC_ERR_MAP(TNC_ERR_TEXT)
#undef TNC_ERR_TEXT
	}
	if (err < 0)
		return strerror(-err);
	return "success";
}
