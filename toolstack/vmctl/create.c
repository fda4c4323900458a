// SPDX-License-Identifier: GPL-2.0-only
/*
 * vmctl create CFG (docs/vmctl.md): the config is read with lib/xlcfg
 * first, so a mistake is reported as CFG:LINE before anything is sent.
 * When `kernel` names a file on this host (absolute, or relative to the
 * current directory or else to the config's), the file is uploaded
 * (IMAGE_BEGIN, IMAGE_DATA in pieces, IMAGE_END) under its base name and
 * the config is sent with `kernel` naming the upload; otherwise it is
 * sent as written and ctld looks the name up among its boot modules.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "image.h"
#include "mgmt.h"
#include "rundir.h"
#include "vmctl.h"
#include "xlcfg.h"

#define CMD	     "vmctl create"
#define USAGE	     CMD " CFG [--run-dir DIR]"
#define CHUNK	     ATOLL_MGMT_PAYLOAD_MAX
#define UPLOAD_DEPTH 4 /* IMAGE_DATA requests in flight */
#define NAME_MAX_LEN 64

/* Where the `kernel = "..."` value sits in the config text. */
struct kernel_value {
	unsigned line;
	size_t start, end; /* the quoted string, quotes included */
};

/*
 * Finds the kernel setting: xlcfg accepted the text, so it is on a line
 * of its own that starts with `kernel`, and its value is a quoted string.
 */
static bool find_kernel(const char *text, size_t len, struct kernel_value *k)
{
	size_t i = 0;

	k->line = 1;
	while (i < len) {
		size_t p = i;

		while (p < len && (text[p] == ' ' || text[p] == '\t'))
			p++;
		if (len - p > 6 && !memcmp(text + p, "kernel", 6)) {
			p += 6;
			while (p < len && (text[p] == ' ' || text[p] == '\t'))
				p++;
			if (p < len && text[p] == '=') {
				p++;
				while (p < len &&
				       (text[p] == ' ' || text[p] == '\t'))
					p++;
				const char *close =
				    p < len ? memchr(text + p + 1, text[p],
						     len - p - 1)
					    : NULL;
				if (!close)
					return false;
				k->start = p;
				k->end = (size_t)(close - text) + 1;
				return true;
			}
		}
		while (i < len && text[i] != '\n')
			i++;
		i++;
		k->line++;
	}
	return false;
}

static bool is_file(const char *path)
{
	struct stat st;

	return !stat(path, &st) && S_ISREG(st.st_mode);
}

/* The host file kernel names, or NULL (malloc'ed). */
static char *host_kernel(const char *cfg_path, const char *kernel)
{
	char *path;

	if (is_file(kernel))
		return strdup(kernel);
	if (kernel[0] == '/')
		return NULL;
	path = image_resolve(cfg_path, kernel);
	if (is_file(path))
		return path;
	free(path);
	return NULL;
}

/* The upload's name: the file's base name, [A-Za-z0-9._-] only. */
static void upload_name(const char *path, char *name)
{
	const char *base = strrchr(path, '/');
	size_t n = 0;

	for (base = base ? base + 1 : path; *base && n + 1 < NAME_MAX_LEN;
	     base++)
		name[n++] = strchr("abcdefghijklmnopqrstuvwxyz"
				   "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-",
				   *base)
				? *base
				: '_';
	name[n] = '\0';
}

/* IMAGE_DATA in pieces, UPLOAD_DEPTH of them in flight. */
static enum mgmt_status send_data(struct mgmt *m, const uint8_t *data,
				  size_t size)
{
	uint32_t ids[UPLOAD_DEPTH];
	unsigned head = 0, pending = 0;
	size_t off = 0;
	struct mgmt_msg r;
	enum mgmt_status st;

	while (off < size || pending) {
		if (off < size && pending < UPLOAD_DEPTH) {
			size_t n = size - off < CHUNK ? size - off : CHUNK;

			st =
			    mgmt_send(m, ATOLL_MGMT_IMAGE_DATA, 0, data + off,
				      n, &ids[(head + pending) % UPLOAD_DEPTH]);
			if (st != MGMT_OK)
				return st;
			off += n;
			pending++;
			continue;
		}
		st = mgmt_wait(m, ids[head], ATOLL_MGMT_IMAGE_DATA,
			       mgmt_now_ms() + m->timeout_ms, &r);
		if (st != MGMT_OK)
			return st;
		head = (head + 1) % UPLOAD_DEPTH;
		pending--;
	}
	return MGMT_OK;
}

static int upload(struct mgmt *m, const char *path, const char *name)
{
	struct vmctl_buf file = {0};
	struct mgmt_msg r;
	char begin[NAME_MAX_LEN + 32];
	enum mgmt_status st;

	if (!vmctl_read_file(path, &file)) {
		fprintf(stderr, CMD ": cannot read '%s': %s\n", path,
			strerror(errno));
		free(file.data);
		return VMCTL_EXIT_FAIL;
	}
	snprintf(begin, sizeof(begin), "%s %zu", name, file.len);
	st = mgmt_call(m, ATOLL_MGMT_IMAGE_BEGIN, 0, begin, strlen(begin), &r);
	if (st == MGMT_OK)
		st = send_data(m, (const uint8_t *)file.data, file.len);
	if (st == MGMT_OK)
		st = mgmt_call(m, ATOLL_MGMT_IMAGE_END, 0, NULL, 0, &r);
	free(file.data);
	if (st != MGMT_OK)
		fprintf(stderr, CMD ": uploading '%s' failed:\n", path);
	return mgmt_report(m, st, NULL);
}

/* text with the kernel value replaced by "name" (malloc'ed). */
static char *with_kernel(const struct vmctl_buf *text,
			 const struct kernel_value *k, const char *name,
			 size_t *len)
{
	size_t name_len = strlen(name);
	char *out = vmctl_xrealloc(NULL, text->len + name_len + 3);

	memcpy(out, text->data, k->start);
	out[k->start] = '"';
	memcpy(out + k->start + 1, name, name_len);
	out[k->start + 1 + name_len] = '"';
	memcpy(out + k->start + name_len + 2, text->data + k->end,
	       text->len - k->end);
	*len = text->len - (k->end - k->start) + name_len + 2;
	return out;
}

/* Reads and checks the config; VMCTL_EXIT_OK or the status to exit with. */
static int read_config(const char *path, struct vmctl_buf *text,
		       struct xlcfg *cfg)
{
	struct xlcfg_error err;

	if (!vmctl_read_file(path, text)) {
		fprintf(stderr, CMD ": cannot read '%s': %s\n", path,
			strerror(errno));
		return VMCTL_EXIT_FAIL;
	}
	if (text->len > ATOLL_MGMT_PAYLOAD_MAX) {
		fprintf(stderr, "%s: larger than %d bytes\n", path,
			ATOLL_MGMT_PAYLOAD_MAX);
		return VMCTL_EXIT_FAIL;
	}
	if (xlcfg_parse(text->data, text->len, cfg, &err) == 0)
		return VMCTL_EXIT_OK;
	if (err.line)
		fprintf(stderr, "%s:%u: %s\n", path, err.line, err.message);
	else
		fprintf(stderr, "%s: %s\n", path, err.message);
	return VMCTL_EXIT_FAIL;
}

static int send_create(struct mgmt *m, const char *name, const char *text,
		       size_t len)
{
	struct mgmt_msg r;
	enum mgmt_status st = mgmt_call(m, ATOLL_MGMT_CREATE, 0, text, len, &r);
	size_t n = 0;

	if (st != MGMT_OK)
		return mgmt_report(m, st, NULL);
	while (n < r.hdr.len && n < 16 && r.payload[n] >= '0' &&
	       r.payload[n] <= '9')
		n++;
	printf("Domain %.*s (%s) created\n", (int)n, (const char *)r.payload,
	       name);
	return VMCTL_EXIT_OK;
}

/*
 * Reads and checks the config; *kernel_file is the host file to upload
 * (malloc'ed) or NULL, and *k where its name is in the text.
 */
static int prepare(const char *path, struct vmctl_buf *text, struct xlcfg *cfg,
		   char **kernel_file, struct kernel_value *k)
{
	int rc = read_config(path, text, cfg);

	if (rc != VMCTL_EXIT_OK)
		return rc;
	*kernel_file = host_kernel(path, cfg->kernel);
	if (*kernel_file && !find_kernel(text->data, text->len, k)) {
		fprintf(stderr, "%s: cannot find the kernel setting\n", path);
		return VMCTL_EXIT_FAIL;
	}
	if (!*kernel_file && strchr(cfg->kernel, '/')) {
		find_kernel(text->data, text->len, k);
		fprintf(stderr, "%s:%u: kernel '%s': no such file\n", path,
			k->line, cfg->kernel);
		return VMCTL_EXIT_FAIL;
	}
	return VMCTL_EXIT_OK;
}

int cmd_create(int argc, char **argv)
{
	static struct xlcfg cfg;
	struct vmctl_buf text = {0};
	struct kernel_value k = {0};
	char *kernel_file = NULL, name[NAME_MAX_LEN];
	struct run_dir rd;
	struct mgmt m;
	int rc;

	if (!rundir_from_args(&argc, argv, CMD, &rd))
		return VMCTL_EXIT_USAGE;
	if (argc != 1 || (argv[0][0] == '-' && argv[0][1])) {
		fprintf(stderr, CMD ": %s\nusage: " USAGE "\n",
			argc ? "one CFG file, no options" : "no CFG given");
		return VMCTL_EXIT_USAGE;
	}
	rc = prepare(argv[0], &text, &cfg, &kernel_file, &k);
	if (rc == VMCTL_EXIT_OK)
		rc = rundir_connect(&rd, CMD, &m, 60);
	if (rc != VMCTL_EXIT_OK) {
		free(text.data);
		free(kernel_file);
		return rc;
	}
	if (kernel_file) {
		size_t len;
		char *sent;

		upload_name(kernel_file, name);
		rc = upload(&m, kernel_file, name);
		sent = with_kernel(&text, &k, name, &len);
		if (rc == VMCTL_EXIT_OK)
			rc = send_create(&m, cfg.name, sent, len);
		free(sent);
	} else {
		rc = send_create(&m, cfg.name, text.data, text.len);
	}
	mgmt_close(&m);
	free(text.data);
	free(kernel_file);
	return rc;
}
