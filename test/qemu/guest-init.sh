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
