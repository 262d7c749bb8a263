// INT 1Ah: the tick counter, the RTC clock, the PCI BIOS (AH=B1h) and, when
// built in, the TCG BIOS interface (AH=BBh).
#include "autoconf.h"
#include "bregs.h"
#include "fw/e820.h"
#include "hw/pci.h"
#include "hw/rtc.h"
#include "output.h"
#include "lib/bda.h"
#include "tcgbios/tcg_int1a.h"

void handle_1a(struct bregs *r);

// What a TCG BIOS caller may point at: RAM the OS owns (e820 type 1),
// never the firmware, its stack (EBDA) or the event log (reserved).
static bool tcg_caller_range(u32 addr, u32 len)
{
	u64 end = (u64)addr + len;
	for (int i = 0; i < bios_e820.count; i++) {
		const struct e820_entry *e = &bios_e820.e[i];
		if (e->type == E820_RAM && e->start <= addr &&
		    end <= e->start + e->size)
			return true;
	}
	return false;
}

// The TCG BIOS interface (Conventional BIOS spec 1.21, section 13):
// ES:DI and DS:SI become linear addresses, tcgbios/tcg_int1a does the rest.
static void handle_1abb(struct bregs *r)
{
	if (!CONFIG_TCGBIOS) {
		r->eax = TCG_PC_TPM_NOT_PRESENT;
		set_cf(r, 0);
		return;
	}
	struct tcg_bios_regs t = {
	    .eax = r->eax,
	    .ebx = r->ebx,
	    .ecx = r->ecx,
	    .edx = r->edx,
	    .esi = r->esi,
	    .edi = r->edi,
	    .es_di = (u32)r->es * 16 + r->di,
	    .ds_si = (u32)r->ds * 16 + r->si,
	};
	// A caller may read the log and the PCRs as soon as we return.
	bool was_async = g_tcg.async;
	tcg_async(&g_tcg, false);
	tcg_bios_call(&g_tcg, &g_tpm, &t, tcg_caller_range);
	tcg_async(&g_tcg, was_async);
	r->eax = t.eax;
	r->ebx = t.ebx;
	r->ecx = t.ecx;
	r->edx = t.edx;
	r->esi = t.esi;
	r->edi = t.edi;
	set_cf(r, t.cf);
}

#define PCI_SUCCESSFUL 0x00
#define PCI_FUNC_NOT_SUPPORTED 0x81
#define PCI_DEVICE_NOT_FOUND 0x86
#define PCI_BAD_REGISTER 0x87

static void pci_bios(struct bregs *r)
{
	u16 bdf = r->bx;
	u16 reg = r->di;
	int index = r->si, found = 0;

	switch (r->al) {
	case 0x01: { // installation check
		u8 last_bus = 0;
		for_each_pci_device(d) if (d->secondary_bus > last_bus)
		    last_bus = d->secondary_bus;
		r->edx = 0x20494350; // "PCI "
		r->al = 0x01;	     // configuration mechanism #1
		r->bx = 0x0210;	     // version 2.10
		r->cl = last_bus;
		r->edi = 0;
		set_ok(r);
		return;
	}
	case 0x02: // find device by id
	case 0x03: // find device by class
		for_each_pci_device(d)
		{
			bool match =
			    r->al == 0x02
				? d->vendor == r->dx && d->device == r->cx
				: (pci_read32(d->bdf, 0x08) >> 8) ==
				      (r->ecx & 0xFFFFFF);
			if (match && found++ == index) {
				r->bx = d->bdf;
				set_ok(r);
				return;
			}
		}
		set_fail(r, PCI_DEVICE_NOT_FOUND);
		return;
	case 0x08:
	case 0x09:
	case 0x0A:
	case 0x0B:
	case 0x0C:
	case 0x0D: {
		u8 op = r->al;
		bool word = op == 0x09 || op == 0x0C,
		     dword = op == 0x0A || op == 0x0D;
		if (reg > 0xFF || (word && (reg & 1)) || (dword && (reg & 3))) {
			set_fail(r, PCI_BAD_REGISTER);
			return;
		}
		if (op == 0x08)
			r->cl = pci_read8(bdf, reg);
		else if (op == 0x09)
			r->cx = pci_read16(bdf, reg);
		else if (op == 0x0A)
			r->ecx = pci_read32(bdf, reg);
		else if (op == 0x0B)
			pci_write8(bdf, reg, r->cl);
		else if (op == 0x0C)
			pci_write16(bdf, reg, r->cx);
		else
			pci_write32(bdf, reg, r->ecx);
		set_ok(r);
		return;
	}
	default:
		set_fail(r, PCI_FUNC_NOT_SUPPORTED);
	}
}

static void rtc_get(struct bregs *r, u8 a, u8 b, u8 c)
{
	if (!rtc_wait_stable()) {
		set_cf(r, 1);
		return;
	}
	r->ch = cmos_read(a);
	r->cl = cmos_read(b);
	r->dh = cmos_read(c);
	set_ok(r);
}

static void rtc_set(struct bregs *r, u8 a, u8 b, u8 c)
{
	rtc_wait_stable();
	cmos_write(a, r->ch);
	cmos_write(b, r->cl);
	cmos_write(c, r->dh);
	set_ok(r);
}

void handle_1a(struct bregs *r)
{
	switch (r->ah) {
	case 0x00:
		r->cx = bda_u32(BDA_TICKS) >> 16;
		r->dx = (u16)bda_u32(BDA_TICKS);
		r->al = bda_u8(BDA_MIDNIGHT);
		bda_u8(BDA_MIDNIGHT) = 0;
		set_cf(r, 0);
		break;
	case 0x01:
		bda_u32(BDA_TICKS) = (u32)r->cx << 16 | r->dx;
		bda_u8(BDA_MIDNIGHT) = 0;
		set_ok(r);
		break;
	case 0x02:
		rtc_get(r, CMOS_HOURS, CMOS_MINUTES, CMOS_SECONDS);
		r->dl = 0;
		break;
	case 0x03:
		rtc_set(r, CMOS_HOURS, CMOS_MINUTES, CMOS_SECONDS);
		break;
	case 0x04:
		rtc_get(r, CMOS_CENTURY, CMOS_YEAR, CMOS_MONTH);
		r->dl = cmos_read(CMOS_DAY);
		break;
	case 0x05:
		rtc_set(r, CMOS_CENTURY, CMOS_YEAR, CMOS_MONTH);
		cmos_write(CMOS_DAY, r->dl);
		break;
	case 0xB1:
		pci_bios(r);
		break;
	case 0xBB:
		handle_1abb(r);
		break;
	default:
		dprint(DL_DETAIL, "int1a: unsupported AX=%04x\n", r->ax);
		set_fail(r, 0x86);
	}
}
