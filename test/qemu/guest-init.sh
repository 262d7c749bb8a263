#!/bin/busybox sh
# /init of the mbios integration-test initramfs.
#
# Prints a machine-readable report of what the kernel saw (memory map, CPUs,
# TPM, event log, PCRs) on the console (ttyS0) and powers off. Every report
# line starts with "MBT " so that the host can pick it out of the serial log;
# the report starts with "MBT begin" and ends with "MBT end".  Multi-line
# values are sent one line per record with a repeated key.
/bin/busybox --install -s /bin
export PATH=/bin

mkdir -p /proc /sys /dev /tmp
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev 2>/dev/null
mount -t securityfs securityfs /sys/kernel/security 2>/dev/null
# Keep kernel messages off the console so they cannot split report lines.
dmesg -n 1

r() { echo "MBT $*"; }

r begin
r version 1
r kernel "$(uname -r)"
r cmdline "$(cat /proc/cmdline)"

# Memory map as the kernel received it from the firmware.
dmesg | sed -n 's/^.*BIOS-e820: //p' | while read -r line; do r e820 "$line"; done
# The console and framebuffer the kernel found (VGA BIOS tests).
dmesg | grep -E "Console: |vesafb: |fb0: " | while read -r line; do r video "$line"; done
r cpus_online "$(grep -c '^processor' /proc/cpuinfo)"
r cpus_sysfs "$(cat /sys/devices/system/cpu/online)"
r memtotal_kb "$(sed -n 's/^MemTotal: *\([0-9]*\) kB/\1/p' /proc/meminfo)"

T=/sys/class/tpm/tpm0
if [ -e $T ]; then
	r tpm0 yes
	if [ -r $T/tpm_version_major ]; then
		r tpm_version "$(cat $T/tpm_version_major)"
	else
		r tpm_version unknown
	fi
	for bankdir in $T/pcr-*; do
		[ -d "$bankdir" ] || continue
		bank=${bankdir##*/pcr-}
		n=0
		while [ $n -le 23 ]; do
			if [ -r "$bankdir/$n" ]; then
				r pcr "$bank" "$n" "$(cat "$bankdir/$n")"
			fi
			n=$((n + 1))
		done
	done
	# TPM 1.2: the PCRs and the flags live under device/.
	if [ -r $T/device/pcrs ]; then
		while read -r line; do r pcrs12 "$line"; done < $T/device/pcrs
	fi
	for f in enabled active owned temp_deactivated caps; do
		if [ -r $T/device/$f ]; then
			cat $T/device/$f | while read -r line; do r "flag_$f" "$line"; done
		fi
	done
else
	r tpm0 no
fi

# mbt.tpmcheck=1: what the OS can still do with the TPM after the firmware's
# hand-off, with raw commands through /dev/tpm0 (one write of the command,
# one read of the response).  Reported as "tpmcmd <name> <response hex>"
# ("none" when there was no answer); the host decides what they mean.
tpm_cmd() { # name command-hex
	esc=$(echo "$2" | sed 's/../\\x&/g')
	rsp=$( { exec 3<>/dev/tpm0 && printf "$esc" >&3 &&
		dd bs=4096 count=1 <&3 2>/dev/null; } 2>/dev/null |
		od -An -tx1 | tr -d ' \n')
	r tpmcmd "$1" "${rsp:-none}"
}
# mbt.ownerauth=set: give the TPM 2.0 owner hierarchy the auth "mbt"
# (HierarchyChangeAuth, empty auth before), then show that the empty auth
# no longer works -- for the tests that clear the TPM.
set_owner_auth() {
	case " $(cat /proc/cmdline) " in
	*" mbt.ownerauth=set "*)
		tpm_cmd set_owner_auth 8002000000200000012940000001000000094000000900000000000003$(printf mbt | od -An -tx1 | tr -d ' \n')
		tpm_cmd owner_empty_after_set 80020000001d0000012940000001000000094000000900000000000000
		;;
	esac
}

# mbt.ppi=OP[:ARG]: a Physical Presence Interface request through sysfs
# (mbt.ppiraw=OP[:ARG]: written straight into QEMU's PPI page at
# 0xFED45000, as garbage would be), then a reboot; on the boot after it
# (the page's last operation is OP) only the response is reported.
P=$T/ppi
ppi_op=$(sed -n 's/.*mbt\.ppi\(raw\)*=\([0-9:]*\).*/\2/p' /proc/cmdline)
if [ -n "$ppi_op" ] && [ -d $P ]; then
	r ppi_version "$(cat $P/version 2>/dev/null)"
	r ppi_response "$(cat $P/response 2>/dev/null)"
	grep -E '^ *(0|5|14|21|22|23|1|2|3|4) ' $P/tcg_operations 2>/dev/null |
		while read -r line; do r ppi_op_status "$line"; done
	op=${ppi_op%%:*}
	arg=$(echo "$ppi_op" | sed -n 's/^[0-9]*:\([0-9]*\)$/\1/p')
	last=$(cut -d' ' -f1 $P/response 2>/dev/null | tr -d ':')
	if [ "$last" != "$op" ]; then
		set_owner_auth
		case " $(cat /proc/cmdline) " in
		*" mbt.ppiraw="*)
			devmem 0xFED4510D 32 "${arg:-0}" && devmem 0xFED45109 32 "$op" &&
				r ppi_request "raw $op ${arg:-0}" ;;
		*)
			if echo "$op${arg:+ $arg}" > $P/request 2>/dev/null; then
				r ppi_request "$op${arg:+ $arg}"
			else
				r ppi_request "refused $op"
			fi ;;
		esac
		r ppi_pending "$(cat $P/request 2>/dev/null)"
		case "$(cat $P/request 2>/dev/null)" in
		0|"") ;;
		*) sync; r ppi_reboot yes; reboot -f; sleep 30 ;;
		esac
	fi
fi

[ -z "$ppi_op" ] && set_owner_auth

case " $(cat /proc/cmdline) " in
*" mbt.tpmcheck=1 "*)
	r tpmcheck "$([ -c /dev/tpm0 ] && echo yes || echo no-dev-tpm0)"
	if [ -c /dev/tpm0 ] && [ "$(cat $T/tpm_version_major 2>/dev/null)" = 2 ]; then
		# TPM2_GetCapability(TPM_CAP_TPM_PROPERTIES, TPM_PT_STARTUP_CLEAR = 0x201, 1)
		tpm_cmd getcap_startup_clear 8001000000160000017a000000060000020100000001
		# TPM2_HierarchyChangeAuth(owner / platform), password session with
		# the empty auth, newAuth empty: owner must work, platform must not.
		tpm_cmd hca_owner 80020000001d0000012940000001000000094000000900000000000000
		tpm_cmd hca_platform 80020000001d000001294000000c000000094000000900000000000000
	elif [ -c /dev/tpm0 ]; then
		# TPM_GetCapability(TPM_CAP_FLAG, TPM_CAP_FLAG_VOLATILE)
		tpm_cmd getcap_volatile 00c10000001600000065000000040000000400000109
		# TSC_PhysicalPresence(TPM_PHYSICAL_PRESENCE_PRESENT)
		tpm_cmd pp_present 00c10000000c4000000a0008
		tpm_cmd getcap_volatile_after 00c10000001600000065000000040000000400000109
	fi
	;;
esac

# Attestation (the initramfs built with MBT_TPM2_TOOLS, test/qemu/tests.py
# attest-*): tpm2-tools run the instructions of the fw_cfg file opt/mbt/attest
# (an unmeasured channel, so the PCRs do not depend on them), one per line:
#   seal NAME HANDLE POLICYHEX SECRET  seal SECRET to the policy digest, and
#                                      keep the object at persistent HANDLE
#   unseal NAME HANDLE SEL             unseal it with a PolicyPCR session
#   policy SEL                         the PolicyPCR digest of the PCRs now
#   pcrread SEL                        tpm2_pcrread's output
#   quote NONCEHEX SEL                 new EK and AK, TPM2_Quote of SEL
# Results are "MBT attest_* ..." lines; blobs are base64 on one line.
A=/sys/firmware/qemu_fw_cfg/by_name/opt/mbt/attest/raw
if [ -e /lib/modules/qemu_fw_cfg.ko ]; then
	insmod /lib/modules/qemu_fw_cfg.ko 2>/dev/null
	export TPM2TOOLS_TCTI=device:/dev/tpmrm0 PATH=/bin:/usr/bin
	export LD_LIBRARY_PATH=/lib/x86_64-linux-gnu:/usr/lib/x86_64-linux-gnu
	b64() { base64 "$1" | tr -d '\n'; }
	hex() { od -An -tx1 "$1" | tr -d ' \n'; }
	t() { # run a tool, keep its messages for the report
		"$@" </dev/null >/tmp/t.out 2>/tmp/t.err && return 0
		r attest_err "$1: $(tail -c 300 /tmp/t.err | tr '\n' ' ')"
		return 1
	}
	r attest "$([ -r $A ] && echo yes || echo no-fw-cfg-file)"
	r attest_uptime_start "$(cut -d' ' -f1 /proc/uptime)"
	cp $A /tmp/attest.txt 2>/dev/null || : >/tmp/attest.txt
	while read -r cmd a1 a2 a3 a4; do
		case "$cmd" in
		seal)
			printf "$(echo "$a3" | sed 's/../\\x&/g')" >/tmp/pol.bin
			printf %s "$a4" >/tmp/secret
			t tpm2_createprimary -C o -g sha256 -G ecc -c /tmp/prim.ctx &&
			t tpm2_create -C /tmp/prim.ctx -g sha256 -a 'fixedtpm|fixedparent' \
				-L /tmp/pol.bin -i /tmp/secret -u /tmp/s.pub -r /tmp/s.priv &&
			t tpm2_load -C /tmp/prim.ctx -u /tmp/s.pub -r /tmp/s.priv -c /tmp/s.ctx &&
			t tpm2_evictcontrol -C o -c /tmp/s.ctx "$a2" &&
			r attest_seal "$a1" ok || r attest_seal "$a1" fail
			tpm2_flushcontext -t >/dev/null 2>&1
			;;
		unseal)
			if t tpm2_startauthsession --policy-session -S /tmp/sess.ctx &&
				t tpm2_policypcr -S /tmp/sess.ctx -l "$a3" &&
				t tpm2_unseal -p session:/tmp/sess.ctx -c "$a2" -o /tmp/unsealed; then
				r attest_unseal "$a1" ok "$(cat /tmp/unsealed)"
			else
				r attest_unseal "$a1" fail
			fi
			tpm2_flushcontext /tmp/sess.ctx >/dev/null 2>&1
			;;
		policy)
			t tpm2_startauthsession -S /tmp/trial.ctx &&
			t tpm2_policypcr -S /tmp/trial.ctx -l "$a1" -L /tmp/p.bin &&
			r attest_policy "$a1" "$(hex /tmp/p.bin)"
			tpm2_flushcontext /tmp/trial.ctx >/dev/null 2>&1
			;;
		pcrread)
			t tpm2_pcrread "$a1" &&
			while IFS= read -r line; do r attest_pcrread "$line"; done </tmp/t.out
			;;
		quote)
			t tpm2_createek -c /tmp/ek.ctx -G rsa -u /tmp/ek.pub &&
			t tpm2_createak -C /tmp/ek.ctx -c /tmp/ak.ctx -G rsa -g sha256 \
				-s rsassa -u /tmp/ak.pub -n /tmp/ak.name &&
			t tpm2_readpublic -c /tmp/ak.ctx -f pem -o /tmp/ak.pem &&
			t tpm2_quote -c /tmp/ak.ctx -l "$a2" -q "$a1" -m /tmp/q.msg \
				-s /tmp/q.sig -o /tmp/q.pcrs -g sha256 &&
			for f in ak.pub ak.pem q.msg q.sig q.pcrs; do
				r attest_file "$f" "$(b64 /tmp/$f)"
			done
			r attest_quote "$([ -s /tmp/q.sig ] && echo ok || echo fail)"
			;;
		esac
	done </tmp/attest.txt
	r attest_uptime_end "$(cut -d' ' -f1 /proc/uptime)"
fi

L=/sys/kernel/security/tpm0/binary_bios_measurements
if [ -r $L ]; then
	cp $L /tmp/log.bin 2>/dev/null
	r log yes
	r log_size "$(wc -c < /tmp/log.bin)"
	r log_sha256 "$(sha256sum /tmp/log.bin | cut -d' ' -f1)"
	base64 /tmp/log.bin | while read -r line; do r log_b64 "$line"; done
else
	r log no
fi

dmesg | grep -i tpm | while read -r line; do r dmesg_tpm "$line"; done
r end
sync
# mbt.s3=1: after the report, suspend to RAM; once QMP system_wakeup has
# woken the guest, run /init again for a second report (PCRs, log, raw TPM
# answers after the resume). The token, drawn before the suspend and printed
# after it from this shell's memory, shows that the guest's state survived.
case " $(cat /proc/cmdline) " in
*" mbt.s3=1 "*)
	if [ -z "$MBT_S3_TOKEN" ]; then
		MBT_S3_TOKEN=$(od -An -N8 -tx1 /dev/urandom | tr -d ' \n')
		export MBT_S3_TOKEN
		echo deep > /sys/power/mem_sleep 2>/dev/null
		r s3 mem_sleep "$(cat /sys/power/mem_sleep 2>/dev/null)"
		r s3 token "$MBT_S3_TOKEN"
		r s3 suspending
		if echo mem > /sys/power/state; then
			r s3 woke "$MBT_S3_TOKEN"
		else
			r s3 failed
		fi
		exec /init
	fi
	;;
esac
# mbt.hold=1: stay up after the report, for tests that reset the machine
# from outside (QMP system_reset) and then end the run themselves.
case " $(cat /proc/cmdline) " in
*" mbt.hold=1 "*) while :; do sleep 60; done ;;
esac
poweroff -f
