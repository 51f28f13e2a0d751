module github.com/lucairn/lucairn/ffi/go

go 1.19
