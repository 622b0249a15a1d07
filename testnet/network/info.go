package network

// Info is what clients need to use a network: the launcher writes it as its JSON config file and
// serves it on GET /status. Keys are part of the launcher's contract.
type Info struct {
	SatelliteID      string     `json:"satellite_id"`
	SatelliteAddress string     `json:"satellite_address"`
	SatelliteURL     string     `json:"satellite_url"`
	APIKey           string     `json:"api_key"`
	Passphrase       string     `json:"passphrase"`
	AccessGrant      string     `json:"access_grant"`
	AuthAddress      string     `json:"auth_address"`
	AuthTLSAddress   string     `json:"auth_tls_address"`
	AuthCertPEM      string     `json:"auth_cert_pem"` // path of the PEM file
	ControlURL       string     `json:"control_url"`
	Nodes            []NodeInfo `json:"nodes"`
	PID              int        `json:"pid"`
	DataDir          string     `json:"data_dir"`
}

// Info describes the network; controlURL and pid are the launcher's.
func (n *Network) Info(controlURL string, pid int) Info {
	return Info{
		SatelliteID:      n.SatelliteID().String(),
		SatelliteAddress: n.satServer.addr,
		SatelliteURL:     n.SatelliteURL(),
		APIKey:           n.apiKey,
		Passphrase:       n.config.Passphrase,
		AccessGrant:      n.accessGrant,
		AuthAddress:      n.AuthAddress(),
		AuthTLSAddress:   n.AuthTLSAddress(),
		AuthCertPEM:      n.AuthCertificatePath(),
		ControlURL:       controlURL,
		Nodes:            n.Nodes(),
		PID:              pid,
		DataDir:          n.config.DataDir,
	}
}
