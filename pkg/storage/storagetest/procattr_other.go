//go:build !linux

package storagetest

import "syscall"

// sysProcAttr has no parent-death signal outside Linux; use Main to stop the server.
func sysProcAttr() *syscall.SysProcAttr { return nil }
