variable "proxmox_endpoint" {
  description = "Proxmox VE API address, e.g. https://pve.lan:8006/"
  type        = string
}

variable "proxmox_api_token" {
  description = "API token, user@realm!token=secret (create it under Datacenter > Permissions > API Tokens)"
  type        = string
  sensitive   = true
}

variable "proxmox_insecure" {
  description = "Accept the Proxmox API's self-signed certificate"
  type        = bool
  default     = false
}

variable "proxmox_node" {
  description = "The Proxmox node the VMs are created on"
  type        = string
  default     = "pve"
}

variable "template_vm_id" {
  description = "VM id of a Debian 12 cloud-init template to clone (qm template)"
  type        = number
  default     = 9000
}

variable "datastore" {
  description = "Storage for the VMs' disks"
  type        = string
  default     = "local-lvm"
}

variable "bridge" {
  description = "Network bridge the VMs attach to"
  type        = string
  default     = "vmbr0"
}

variable "network_prefix" {
  description = "First three octets of the VMs' static addresses; each role's VMs take the host numbers below"
  type        = string
  default     = "10.0.0"
}

variable "gateway" {
  description = "Default gateway of the VMs' network"
  type        = string
  default     = "10.0.0.1"
}

variable "ssh_public_keys" {
  description = "Public keys Ansible logs in with (user debian)"
  type        = list(string)
}

variable "realm_nodes" {
  description = "How many realm node VMs: one clustered realm, its zones placed across the nodes (docs/selfhost.md)"
  type        = number
  default     = 3
}

# Sizes per role. A realm node's numbers are the recommended ones for a node (4 cores, 8 GB, 50 GB);
# raise them towards 8 cores and 16 GB for big realms (docs/performance.md has the figures per player).
# The database VM's disk also holds the folder the realm nodes share over NFS (their zones' files).
variable "sizes" {
  description = "cores, memory (MB) and disk (GB) per role"
  type = map(object({
    cores     = number
    memory_mb = number
    disk_gb   = number
  }))
  default = {
    realm      = { cores = 4, memory_mb = 8192, disk_gb = 50 }
    database   = { cores = 4, memory_mb = 8192, disk_gb = 100 }
    proxy      = { cores = 2, memory_mb = 2048, disk_gb = 20 }
    monitoring = { cores = 2, memory_mb = 4096, disk_gb = 50 }
  }
}
