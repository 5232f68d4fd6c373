"""Writes to the catalog: services, classes and their schedules."""

from django.db import transaction
from django.utils import timezone

from accounts.models import Business
from bookings.services.class_sessions import (
    SessionPlan,
    class_session_capacity_set,
    class_sessions_sync,
)
from catalog.models import ClassOffering, ClassSchedule, Service


@transaction.atomic
def service_create(*, business: Business, **fields: object) -> Service:
    """Add a service to the catalog."""
    service = Service(business=business, **fields)
    service.full_clean(exclude=["business"])
    service.save()
    return service


@transaction.atomic
def service_update(*, service: Service, **fields: object) -> Service:
    """Change a service; existing appointments keep the duration and place they were booked with."""
    for name, value in fields.items():
        setattr(service, name, value)
    service.full_clean(exclude=["business"])
    service.save()
    return service


@transaction.atomic
def service_set_archived(*, service: Service, archived: bool) -> Service:
    """Archive (no new bookings; existing ones stay) or restore a service."""
    service.is_archived = archived
    service.save(update_fields=["is_archived", "updated_at"])
    return service


@transaction.atomic
def class_create(*, business: Business, **fields: object) -> ClassOffering:
    """Add a class; its sessions come from the schedule added next."""
    offering = ClassOffering(business=business, **fields)
    offering.full_clean(exclude=["business"])
    offering.save()
    return offering


@transaction.atomic
def class_update(*, offering: ClassOffering, **fields: object) -> ClassOffering:
    """Change a class; a new duration or capacity reaches its future sessions."""
    # Compare with what is stored: a ModelForm may already have changed `offering` in memory.
    stored = ClassOffering.objects.get(pk=offering.pk)
    old_duration, old_capacity = stored.duration_minutes, stored.capacity
    for name, value in fields.items():
        setattr(offering, name, value)
    offering.full_clean(exclude=["business"])
    offering.save()
    if offering.capacity != old_capacity:
        class_session_capacity_set(offering_id=offering.pk, capacity=offering.capacity)
    if offering.duration_minutes != old_duration:
        for schedule in offering.schedules.select_related("business", "offering"):
            class_sessions_sync(schedule=schedule)
    return offering


@transaction.atomic
def class_set_archived(*, offering: ClassOffering, archived: bool) -> ClassOffering:
    """Archive a class: it leaves the public page; sessions already booked still happen."""
    offering.is_archived = archived
    offering.save(update_fields=["is_archived", "updated_at"])
    return offering


@transaction.atomic
def class_schedule_save(*, schedule: ClassSchedule) -> SessionPlan:
    """Save a new or edited schedule and bring its future sessions in line with it."""
    schedule.full_clean(exclude=["business", "offering"])
    schedule.save()
    return class_sessions_sync(schedule=schedule, now=timezone.now())
