//! ```` ```include FILE [lang=…] [mask=key1,key2] ````: a file of content/ shown
//! highlighted, with the named values replaced by `********`.

use crate::escape::escape;
use crate::highlight;
use crate::markdown::{EmbedCall, EmbedError, Embedded};

use super::PageEmbeds;
use super::mask::mask_values;

pub(super) fn embed(embeds: &mut PageEmbeds, call: &EmbedCall) -> Result<Embedded, EmbedError> {
    let included = embeds.files.includes.get(embeds.includes);
    embeds.includes += 1;
    let mut words = call.args.split_whitespace();
    let file = words.next().ok_or_else(|| {
        EmbedError::new("`include` needs a file name")
            .with_help("write ```include config_db.php lang=php mask=dbpassword")
    })?;
    let mut lang = file
        .rsplit_once('.')
        .map(|(_, ext)| ext.to_string())
        .unwrap_or_default();
    let mut mask: Vec<String> = Vec::new();
    for word in words {
        match word.split_once('=') {
            Some(("lang", l)) => lang = l.to_string(),
            Some(("mask", keys)) => mask.extend(
                keys.split(',')
                    .filter(|k| !k.is_empty())
                    .map(str::to_string),
            ),
            _ => {
                return Err(
                    EmbedError::new(format!("unknown `include` option `{word}`"))
                        .with_help("options are lang=LANGUAGE and mask=key1,key2"),
                );
            }
        }
    }
    let included = match included {
        Some(included) => included.file.as_ref().map_err(Clone::clone)?,
        None => {
            return Err(EmbedError::new(
                "the file was not read by the validate stage",
            ));
        }
    };
    let (shown, masked) = if mask.is_empty() {
        (included.text.clone(), Vec::new())
    } else {
        (
            mask_values(&included.text, &mask),
            vec![included.target.clone()],
        )
    };
    let name = escape(file.rsplit('/').next().unwrap_or(file));
    Ok(Embedded {
        html: format!(
            "<figure class=\"include\"><figcaption><code>{name}</code></figcaption>\n{}</figure>\n",
            highlight::code_block(&shown, &lang)
        ),
        files: Vec::new(),
        masked,
    })
}
