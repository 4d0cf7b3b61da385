locals {
  # Every VM: its role (its Ansible group and its size) and its host number on the network.
  vms = merge(
    { for i in range(var.realm_nodes) : "leviathan-node-${i + 1}" => { role = "realm", host = 20 + i } },
    {
      "leviathan-db"         = { role = "database", host = 10 }
      "leviathan-proxy"      = { role = "proxy", host = 11 }
      "leviathan-monitoring" = { role = "monitoring", host = 12 }
    },
  )
}

resource "proxmox_virtual_environment_vm" "vm" {
  for_each  = local.vms
  name      = each.key
  node_name = var.proxmox_node
  tags      = ["leviathan", each.value.role]

  clone {
    vm_id = var.template_vm_id
    full  = true
  }

  agent {
    enabled = true
  }

  cpu {
    cores = var.sizes[each.value.role].cores
    type  = "host"
  }

  memory {
    dedicated = var.sizes[each.value.role].memory_mb
  }

  disk {
    datastore_id = var.datastore
    interface    = "scsi0"
    size         = var.sizes[each.value.role].disk_gb
    iothread     = true
    discard      = "on"
  }

  network_device {
    bridge = var.bridge
    model  = "virtio"
  }

  initialization {
    ip_config {
      ipv4 {
        address = "${var.network_prefix}.${each.value.host}/24"
        gateway = var.gateway
      }
    }
    user_account {
      username = "debian"
      keys     = var.ssh_public_keys
    }
  }

  lifecycle {
    # A template rebuilt later must not replace running VMs.
    ignore_changes = [clone]
  }
}
