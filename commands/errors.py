"""The error types user input and a busy store can raise, each carrying its message in both languages."""

from __future__ import annotations

from typing import Literal


class UserError(Exception):
    """Input the user can fix: says what was wrong and how to write it, in zh and en.

    `field` names the operation field the error is about ("discovered_at", "authority", …), so a
    form can show the message beside that field; None when it is about the input as a whole.
    """

    def __init__(self, zh: str, en: str, *, field: str | None = None) -> None:
        super().__init__(en)
        self.zh = zh
        self.en = en
        self.field = field

    def message(self, lang: Literal["zh", "en"]) -> str:
        return self.zh if lang == "zh" else self.en


class AlreadyDone(UserError):
    """A once-only change someone already made (reported, closed, cancelled, a pin recorded …).

    `by` and `at` say who made it and when, so an edge that acts for a machine (a pin event, a
    retried upload) can tell "nothing left to do" from a real refusal and stay quiet.
    """

    def __init__(
        self, zh: str, en: str, *, field: str | None = None, by: str | None, at: object
    ) -> None:
        super().__init__(zh, en, field=field)
        self.by = by
        self.at = at


class StoreBusy(UserError):
    """The store stayed locked past its lock or statement timeout: nothing was written, try again."""

    def __init__(self) -> None:
        super().__init__(
            "合规存储正忙（其他操作占用时间过长），本次操作未写入任何内容。请稍后重试。",
            "The compliance store is busy (another operation held it too long); nothing was written. Please try again in a moment.",
        )


class StoreUnwritable(UserError):
    """The disk is full or the store is read-only: nothing was written, an administrator must act."""

    def __init__(self) -> None:
        super().__init__(
            "合规存储无法写入（磁盘已满或存储为只读），本次操作未写入任何内容。请通知管理员释放空间或检查权限。",
            "The compliance store cannot be written (the disk is full or the store is read-only); nothing was written. Tell an administrator to free space or check permissions.",
        )


class StoreDamaged(UserError):
    """The store's file is damaged: stop writing to it, keep it, restore from a backup."""

    def __init__(self) -> None:
        super().__init__(
            "合规存储已损坏，本次操作未写入任何内容。请管理员停止所有进程，保留该文件并从备份恢复。",
            "The compliance store is damaged; nothing was written. An administrator must stop every process, keep the file and restore from a backup.",
        )


class StoreReplaced(UserError):
    """The SQLite file the process opened was deleted or replaced under it: writing on would go
    to a file nobody will ever read again (a filing "stored" and then lost)."""

    def __init__(self) -> None:
        super().__init__(
            "合规存储文件在运行中被删除或替换，本次操作未写入任何内容。请管理员从备份恢复该文件后重启机器人。",
            "The compliance store's file was deleted or replaced while the bot was running; nothing was written. An administrator must restore it from a backup and restart the bot.",
        )


class RecordTampered(UserError):
    """A row no longer matches its last audited state: a write must not build on it."""

    def __init__(self, entity: str, entity_id: object) -> None:
        super().__init__(
            f"记录 {entity} #{entity_id} 与审计日志中最后一次记录的状态不一致（可能被直接修改过），本次操作未写入。请管理员运行 compliance-bot audit verify 检查。",
            f"Record {entity} #{entity_id} no longer matches its last audited state (it may have been edited directly); nothing was written. Ask an administrator to run `compliance-bot audit verify`.",
        )
        self.entity = entity
        self.entity_id = entity_id


class StoreUnavailable(Exception):
    """The store cannot be used as it is; the message (both languages) says why and what to do.
    (Here, not beside the store, so the command line can catch it without importing the store.)"""

    def __init__(self, zh: str, en: str) -> None:
        super().__init__(f"{en}\n{zh}")
        self.zh, self.en = zh, en
