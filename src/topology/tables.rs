//! The IP plan and the flow matrix, as rows of text, then as HTML tables and CSV files.
//!
//! Both renderings read the same rows, so the table on the page and the downloaded file
//! always agree.

use super::lang::Words;
use super::model::{Address, Device, Topology};
use crate::escape::{csv_field, escape};

/// One row of the IP plan, already formatted; empty strings stand for "nothing".
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IpPlanRow {
    /// Device label.
    pub device: String,
    /// Interface name.
    pub interface: String,
    /// Network label.
    pub network: String,
    /// VLAN id.
    pub vlan: String,
    /// `192.168.10.20/24` or `DHCP`.
    pub address: String,
    /// The network's gateway.
    pub gateway: String,
}

/// One row of the flow matrix, already formatted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FlowRow {
    /// Source device or network, with its address.
    pub source: String,
    /// Destination device, with its address.
    pub destination: String,
    /// Service name.
    pub service: String,
    /// Port number.
    pub port: String,
    /// `TCP` or `UDP`.
    pub protocol: String,
    /// Why the flow exists.
    pub purpose: String,
}

/// The IP plan: one row per interface, devices and interfaces in file order.
pub fn ip_plan_rows(t: &Topology) -> Vec<IpPlanRow> {
    let mut rows = Vec::new();
    for device in &t.devices {
        for iface in &device.interfaces {
            let Some(network) = t.network(&iface.network) else {
                continue;
            };
            rows.push(IpPlanRow {
                device: device.label.clone(),
                interface: iface.name.clone().unwrap_or_default(),
                network: network.label.clone(),
                vlan: network.vlan.map(|v| v.to_string()).unwrap_or_default(),
                address: match iface.address {
                    Address::Static(a) => format!("{a}/{}", network.cidr.prefix),
                    Address::Dhcp => "DHCP".to_string(),
                },
                gateway: network.gateway.map(|g| g.to_string()).unwrap_or_default(),
            });
        }
    }
    rows
}

/// The flow matrix: one row per flow, in file order.
pub fn flow_rows(t: &Topology) -> Vec<FlowRow> {
    t.flows
        .iter()
        .filter_map(|f| {
            let target = t.device(&f.to)?;
            let service = target.service(&f.service)?;
            let source = match (t.device(&f.from), t.network(&f.from)) {
                (Some(d), _) => device_cell(d, Some(target)),
                (None, Some(n)) => format!("{} ({})", n.label, n.cidr),
                (None, None) => return None,
            };
            let source_device = t.device(&f.from);
            Some(FlowRow {
                source,
                destination: device_cell(target, source_device),
                service: service.name.clone(),
                port: service.port.to_string(),
                protocol: service.protocol.label().to_string(),
                purpose: f.purpose.clone(),
            })
        })
        .collect()
}

/// "SRV-GLPI01 (192.168.10.20)": the label with the address the other end would see, that
/// is the one on a network both share, else every address of the device.
fn device_cell(device: &Device, other: Option<&Device>) -> String {
    let shared: Vec<&Address> = device
        .interfaces
        .iter()
        .filter(|i| other.is_some_and(|o| o.interfaces.iter().any(|oi| oi.network == i.network)))
        .map(|i| &i.address)
        .collect();
    let addresses: Vec<&Address> = if shared.is_empty() {
        device.interfaces.iter().map(|i| &i.address).collect()
    } else {
        shared
    };
    if addresses.is_empty() {
        return device.label.clone();
    }
    let texts: Vec<String> = addresses
        .iter()
        .map(|a| match a {
            Address::Static(ip) => ip.to_string(),
            Address::Dhcp => "DHCP".to_string(),
        })
        .collect();
    format!("{} ({})", device.label, texts.join(", "))
}

impl IpPlanRow {
    fn cells(&self) -> [&str; 6] {
        [
            &self.device,
            &self.interface,
            &self.network,
            &self.vlan,
            &self.address,
            &self.gateway,
        ]
    }
}

impl FlowRow {
    fn cells(&self) -> [&str; 6] {
        [
            &self.source,
            &self.destination,
            &self.service,
            &self.port,
            &self.protocol,
            &self.purpose,
        ]
    }
}

/// The IP plan as an HTML table.
pub fn ip_plan_html(t: &Topology, words: &Words) -> String {
    let data = ip_plan_rows(t);
    let rows: Vec<[&str; 6]> = data.iter().map(IpPlanRow::cells).collect();
    html_table(
        "topologie-table topologie-plan-ip",
        words.ip_plan,
        &words.ip_plan_headers,
        &rows,
        &[4, 5],
    )
}

/// The flow matrix as an HTML table.
pub fn flow_matrix_html(t: &Topology, words: &Words) -> String {
    let data = flow_rows(t);
    let rows: Vec<[&str; 6]> = data.iter().map(FlowRow::cells).collect();
    html_table(
        "topologie-table topologie-flux",
        words.flow_matrix,
        &words.flow_headers,
        &rows,
        &[3],
    )
}

/// The IP plan as CSV (`;`, CRLF, UTF-8 with a byte-order mark so spreadsheets read the
/// accents right).
pub fn ip_plan_csv(t: &Topology, words: &Words) -> String {
    let data = ip_plan_rows(t);
    let rows: Vec<[&str; 6]> = data.iter().map(IpPlanRow::cells).collect();
    csv(&words.ip_plan_headers, &rows)
}

/// The flow matrix as CSV, same conventions as [`ip_plan_csv`].
pub fn flow_matrix_csv(t: &Topology, words: &Words) -> String {
    let data = flow_rows(t);
    let rows: Vec<[&str; 6]> = data.iter().map(FlowRow::cells).collect();
    csv(&words.flow_headers, &rows)
}

fn csv(headers: &[&str; 6], rows: &[[&str; 6]]) -> String {
    let mut out = String::from("\u{feff}");
    let line = |cells: &[&str]| {
        cells
            .iter()
            .map(|c| csv_field(c))
            .collect::<Vec<_>>()
            .join(";")
            + "\r\n"
    };
    out.push_str(&line(headers));
    for row in rows {
        out.push_str(&line(row));
    }
    out
}

/// A table with a caption; columns in `code_columns` hold addresses or ports, set in `<code>`.
fn html_table(
    class: &str,
    caption: &str,
    headers: &[&str; 6],
    rows: &[[&str; 6]],
    code_columns: &[usize],
) -> String {
    let mut out = format!(
        "<table class=\"{class}\" tabindex=\"0\">\n<caption>{}</caption>\n<thead>\n<tr>",
        escape(caption)
    );
    for h in headers {
        out.push_str(&format!("<th scope=\"col\">{}</th>", escape(h)));
    }
    out.push_str("</tr>\n</thead>\n<tbody>\n");
    for row in rows {
        out.push_str("<tr>");
        for (i, cell) in row.iter().enumerate() {
            let text = if cell.is_empty() {
                "—".to_string()
            } else if code_columns.contains(&i) {
                format!("<code>{}</code>", escape(cell))
            } else {
                escape(cell)
            };
            if i == 0 {
                out.push_str(&format!("<th scope=\"row\">{text}</th>"));
            } else {
                out.push_str(&format!("<td>{text}</td>"));
            }
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</tbody>\n</table>\n");
    out
}
