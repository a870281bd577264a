/* imc_attest_links.c - the directory symlinks (see imc_attest_links.h). */
#include "imc_attest_links.h"

#include <dirent.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

void
imc_links_collect(const char *dir, struct imc_links *ret)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	size_t dlen = strlen(dir);
	const char *sep = dlen && dir[dlen - 1] == '/' ? "" : "/";

	ret->count = 0;
	if (!d)
		return;
	while ((de = readdir(d)) && ret->count < IMC_LINKS_MAX) {
		char path[PATH_MAX], *real;
		struct stat st;
		if (de->d_name[0] == '.')
			continue;
		if (snprintf(path, sizeof(path), "%s%s%s", dir, sep, de->d_name) >= (int)sizeof(path))
			continue;
		if (lstat(path, &st) != 0 || !S_ISLNK(st.st_mode) || stat(path, &st) != 0 ||
		    !S_ISDIR(st.st_mode) || !(real = realpath(path, NULL)))
			continue;
		char (*t)[256] = ret->text[ret->count];
		if (strlen(path) < sizeof(t[0]) && strlen(real) < sizeof(t[1])) {
			strcpy(t[0], path);
			strcpy(t[1], real);
			ret->links[ret->count++] = (struct pa_pts_symlink){
			    {(const uint8_t *)t[0], strlen(t[0])}, {(const uint8_t *)t[1], strlen(t[1])}};
		}
		free(real);
	}
	closedir(d);
}
