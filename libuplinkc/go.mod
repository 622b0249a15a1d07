// Pins the libuplinkc that build_libuplink.sh builds into uplink_python/.
module uplink_python/libuplinkc

go 1.25

require storj.io/uplink-c v1.14.0

tool storj.io/uplink-c
