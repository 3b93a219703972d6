"""How Chinese practice classifies and grades a cybersecurity incident.

Art. 30 sends incident handling to the national and municipal emergency rules. The national
《国家网络安全事件应急预案》 (2017) sorts incidents into seven categories and four grades, and the
report forms built on it (and on GB/T 20986 and the 2025 《国家网络安全事件报告管理办法》) ask the
reporter to tick one of each. The bot never decides either: its own high/medium/low severity is
not the national grade, so an unknown category or grade is left for the team to tick.
"""

from __future__ import annotations

EVENT_CATEGORIES: dict[str, tuple[str, str]] = {
    "malware": ("有害程序事件", "Harmful program (malware)"),
    "attack": ("网络攻击事件", "Network attack"),
    "information_destruction": ("信息破坏事件", "Information destruction"),
    "information_content": ("信息内容安全事件", "Information content security"),
    "equipment_failure": ("设备设施故障", "Equipment or facility failure"),
    "disaster": ("灾害性事件", "Disaster"),
    "other": ("其他事件", "Other"),
}

EVENT_GRADES: dict[str, tuple[str, str]] = {
    "particularly_serious": ("特别重大", "Particularly serious"),
    "serious": ("重大", "Serious"),
    "relatively_serious": ("较大", "Relatively serious"),
    "general": ("一般", "General"),
}
