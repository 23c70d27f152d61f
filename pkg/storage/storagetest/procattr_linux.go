package storagetest

import "syscall"

// sysProcAttr makes the kernel kill MinIO when the test binary dies, even on a panic or
// a -timeout, so no server outlives its tests.
func sysProcAttr() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
}
