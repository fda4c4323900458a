// SPDX-License-Identifier: GPL-2.0-only
/*
 * Boot domains from boot modules, until the boot manifest (issue 4) takes
 * over: each module is an ELF image whose loader arguments describe the
 * domain, e.g.
 *
 *   module2 /boot/evtchn.elf evtchn.elf name=ping mem=4M maxmem=8M
 *           caps=domctl,console weight=256 cap=0 autodestroy -- args...
 *
 * The first word is the module's own name; words after "--" become the
 * domain's command line. A module that is not a domain (no name=) is left
 * alone. Bad arguments are reported and that domain is not started.
 */
#include <arch/mm.h>
#include <atoll/bootdom.h>
#include <atoll/caps.h>
#include <atoll/domain_build.h>
#include <atoll/printk.h>
#include <atoll/string.h>

struct bootdom_args {
	char name[DOMAIN_NAME_MAX];
	uint64_t mem_kib, maxmem_kib;
	unsigned vcpus, weight, cap;
	uint32_t caps;
	bool autodestroy;
	const char *cmdline;
};

static const struct {
	const char *name;
	uint32_t bit;
} cap_names[] = {
    {"domctl", ATOLL_CAP_DOMCTL},
    {"xenstore", ATOLL_CAP_XENSTORE},
    {"pci", ATOLL_CAP_PCI},
    {"device-assign", ATOLL_CAP_DEVICE_ASSIGN},
    {"memory-policy", ATOLL_CAP_MEMORY_POLICY},
    {"console", ATOLL_CAP_CONSOLE},
};

static bool parse_size_kib(const char *v, uint64_t *kib)
{
	char *end;
	uint64_t n = strtoull(v, &end, 10);

	if (end == v)
		return false;
	if (*end == 'M' || *end == 'm')
		n *= 1024, end++;
	else if (*end == 'K' || *end == 'k')
		end++;
	*kib = n;
	return (*end == '\0' || *end == ' ') && n;
}

static bool parse_caps(const char *v, size_t len, uint32_t *caps)
{
	while (len) {
		size_t n = 0;
		bool found = false;

		while (n < len && v[n] != ',')
			n++;
		for (size_t i = 0; i < ARRAY_SIZE(cap_names); i++) {
			if (strlen(cap_names[i].name) == n &&
			    !strncmp(cap_names[i].name, v, n)) {
				*caps |= cap_names[i].bit;
				found = true;
			}
		}
		if (!found)
			return false;
		v += n;
		len -= n;
		if (len) {
			v++;
			len--;
		}
	}
	return true;
}

static bool parse_word(struct bootdom_args *a, const char *w, size_t len)
{
	const char *eq = memchr(w, '=', len);
	size_t klen = eq ? (size_t)(eq - w) : len;
	const char *v = eq ? eq + 1 : NULL;
	size_t vlen = eq ? len - klen - 1 : 0;

#define KEY(k) (klen == sizeof(k) - 1 && !strncmp(w, k, klen))
	if (KEY("autodestroy") && !v)
		return a->autodestroy = true;
	if (!v || !vlen)
		return false;
	if (KEY("name"))
		return vlen < sizeof(a->name) &&
		       strncpy_safe(a->name, v, vlen + 1) == vlen;
	if (KEY("mem"))
		return parse_size_kib(v, &a->mem_kib);
	if (KEY("maxmem"))
		return parse_size_kib(v, &a->maxmem_kib);
	if (KEY("caps"))
		return parse_caps(v, vlen, &a->caps);
	if (KEY("vcpus"))
		return (a->vcpus = strtoul(v, NULL, 10)) > 0;
	if (KEY("weight"))
		return (a->weight = strtoul(v, NULL, 10)) > 0;
	if (KEY("cap"))
		return (a->cap = strtoul(v, NULL, 10)) <= 100;
#undef KEY
	return false;
}

/* False (with a message) if the arguments are bad; name[0] == 0 if the
 * module is not a domain. */
static bool parse_args(const char *line, struct bootdom_args *a)
{
	const char *p = line;

	*a = (struct bootdom_args){.vcpus = 1, .weight = 256};
	while (*p && *p != ' ')
		p++; /* the module's own name */
	for (;;) {
		const char *w;

		while (*p == ' ')
			p++;
		if (!*p)
			break;
		if (p[0] == '-' && p[1] == '-' && (p[2] == ' ' || !p[2])) {
			a->cmdline = p[2] ? p + 3 : p + 2;
			break;
		}
		w = p;
		while (*p && *p != ' ')
			p++;
		if (!parse_word(a, w, p - w)) {
			pr_err("boot module '%s': bad argument '%.*s'\n", line,
			       (int)(p - w), w);
			return false;
		}
	}
	return true;
}

void bootdom_create_all(const struct boot_module_desc *mods, unsigned count)
{
	domid_t store = DOMID_INVALID; /* as in bootmanifest.c */

	for (unsigned i = 0; i < count; i++) {
		struct bootdom_args a;
		struct domain_config cfg;
		struct domain *d;
		int err;

		if (!parse_args(mods[i].args, &a) || !a.name[0])
			continue;
		cfg = (struct domain_config){
		    .name = a.name,
		    .mem_pages = (a.mem_kib ? a.mem_kib : 4096) / 4,
		    .vcpus = a.vcpus,
		    .weight = a.weight,
		    .cap = a.cap,
		    .caps = a.caps,
		    .creator = 0,
		    .image = arch_phys_to_virt(mods[i].start),
		    .image_size = mods[i].size,
		    .cmdline = a.cmdline,
		    .store_domid = store,
		};
		cfg.max_pages = MAX(cfg.mem_pages, a.maxmem_kib / 4);
		err = domain_create(&cfg, &d);
		if (err) {
			pr_err("boot domain '%s' not created: error %d\n",
			       a.name, err);
			continue;
		}
		d->autodestroy = a.autodestroy;
		if ((cfg.caps & ATOLL_CAP_XENSTORE) && store == DOMID_INVALID)
			store = d->id;
		domain_start(d);
	}
}
