"""Every write to clients, appointments, class sessions and bookings goes through here.

Split by topic: clients, calendar (locking and clashes), appointments, class_sessions,
class_bookings, opening_hours.
"""
