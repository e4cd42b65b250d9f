"""Legal texts that several apps show, kept in one place so that a correction reaches every page and document.

The situation reports' exemption from public access is stated on the report itself (mapping), on advice and plans
built on a report, and in the guide (measures). The basis was corrected after the editorial review of November
2026: offentleglova § 24 *andre* ledd (tips from private persons, documents on offences) does not fit.
"""

from dataclasses import dataclass

from django.utils.translation import gettext as _


@dataclass(frozen=True)
class Notice:
    title: str
    basis: str

    def __str__(self) -> str:
        return f"{self.title}. {self.basis}"


def report_exemption() -> Notice:
    """Why a situation report, and what is built on it, may be kept from public access, in the reader's language."""
    return Notice(
        title=_("Exempt from public disclosure (Unntatt offentlighet)"),
        basis=_(
            "Likely basis: offentleglova § 24 first and third paragraphs (access would hamper public control "
            "measures or make crimes easier to commit) and § 13 for information under a duty of confidentiality. "
            "The exemption under § 24 is discretionary: each request for access must be assessed, including "
            "whether more can be released (merinnsyn, § 11). A lawyer should confirm the basis."
        ),
    )
