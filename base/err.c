/* err.c - names and texts of the error codes in err.h. */
#include "err.h"

#include <stdio.h>
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

const char *
tnc_errname(int err)
{
	switch (err) {
#define TNC_ERR_NAME(name, code, text) \
	case code:                     \
		return "TNC_E" #name;
		TNC_ERR_MAP(TNC_ERR_NAME)
#undef TNC_ERR_NAME
	}
	if (err < 0) {
		const char *name = strerrorname_np(-err);
		return name ? name : "E?";
	}
	return "OK";
}
