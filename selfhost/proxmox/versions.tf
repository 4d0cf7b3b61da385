# Terraform for a self-hosted realm on Proxmox VE (docs/operations.md, "Proxmox"): realm_nodes realm
# node VMs and one VM for each other role, cloned from a cloud-init template, sized per role, and an
# Ansible inventory for selfhost/ansible.
terraform {
  required_version = ">= 1.5"
  required_providers {
    proxmox = {
      source  = "bpg/proxmox"
      version = "~> 0.66"
    }
  }
}

provider "proxmox" {
  endpoint  = var.proxmox_endpoint
  api_token = var.proxmox_api_token
  insecure  = var.proxmox_insecure
}
