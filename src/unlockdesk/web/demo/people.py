"""Demo staff and the well-known demo customers printed at start."""

from dataclasses import dataclass

from unlockdesk.staff.models import Role


@dataclass(frozen=True)
class DemoAgent:
    username: str
    password: str
    display_name: str
    agent_number: str
    role: Role


AGENTS = [
    DemoAgent("agent", "demo-agent-2026", "小林 Lin", "A1001", Role.AGENT),
    DemoAgent("agent2", "demo-agent-2026", "阿美 Mei", "A1002", Role.AGENT),
    DemoAgent("reviewer", "demo-review-2026", "王审 Wang", "R2001", Role.REVIEWER),
    DemoAgent("reviewer2", "demo-review-2026", "陈审 Chen", "R2002", Role.REVIEWER),
    DemoAgent("supervisor", "demo-super-2026", "赵主管 Zhao", "S3001", Role.SUPERVISOR),
    DemoAgent("admin", "demo-admin-2026", "Admin", "S3000", Role.ADMIN),
]

# (uid, email, phone, kyc name, ID number, lock reason or "")
CUSTOMERS = [
    ("10000001", "locked@example.com", "+8613800138001", "张伟", "11010519491231002X",
     "risk_control"),
    ("10000002", "hold@example.com", "+8613800138002", "李娜", "440524188001010014",
     "security_change_hold"),
    ("10000003", "stolen@example.com", "+8613800138003", "王芳", "110101199003074477",
     "stolen_report"),
    ("10000004", "free@example.com", "+8613800138004", "Alex Chen", "310101198507154213", ""),
]
