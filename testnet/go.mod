module testnet

go 1.25.0

require (
	golang.org/x/sync v0.20.0
	storj.io/common v0.0.0-20260225132117-99155641c30a
	storj.io/drpc v0.0.35-0.20250513201419-f7819ea69b55
)

require (
	github.com/spacemonkeygo/monkit/v3 v3.0.25-0.20251022131615-eb24eb109368 // indirect
	github.com/zeebo/assert v1.3.1 // indirect
	github.com/zeebo/errs v1.4.0 // indirect
	golang.org/x/crypto v0.48.0 // indirect
	golang.org/x/sys v0.45.0 // indirect
)
