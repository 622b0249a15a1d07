package network

import "net"

// startListeners holds the listeners opened before the peers exist.
type startListeners struct {
	satellite, auth, authTLS net.Listener
	nodes                    []net.Listener
}

// listen opens every listener, on the saved ports when they are free.
func (n *Network) listen(saved ports) (*startListeners, error) {
	ls := &startListeners{}
	savedPort := func(list []int, i int) int {
		if i < len(list) {
			return list[i]
		}
		return 0
	}
	var err error
	if ls.satellite, err = listenPreferring(saved.Satellite); err != nil {
		return ls, err
	}
	for i := 0; i < n.config.Nodes; i++ {
		lis, err := listenPreferring(savedPort(saved.Nodes, i))
		if err != nil {
			ls.closeUnused()
			return nil, err
		}
		ls.nodes = append(ls.nodes, lis)
	}
	if ls.auth, err = listenPreferring(saved.Auth); err != nil {
		ls.closeUnused()
		return nil, err
	}
	if ls.authTLS, err = listenPreferring(saved.AuthTLS); err != nil {
		ls.closeUnused()
		return nil, err
	}
	return ls, nil
}

func (ls *startListeners) nodeAddrs() (nodes []string) {
	for _, lis := range ls.nodes {
		nodes = append(nodes, lis.Addr().String())
	}
	return nodes
}

func (ls *startListeners) ports() ports {
	p := ports{Satellite: portOf(ls.satellite), Auth: portOf(ls.auth), AuthTLS: portOf(ls.authTLS)}
	for _, lis := range ls.nodes {
		p.Nodes = append(p.Nodes, portOf(lis))
	}
	return p
}

// closeUnused closes listeners not yet handed to a server (they are set to nil when handed).
func (ls *startListeners) closeUnused() {
	for _, lis := range append([]net.Listener{ls.satellite, ls.auth, ls.authTLS}, ls.nodes...) {
		if lis != nil {
			_ = lis.Close()
		}
	}
}
